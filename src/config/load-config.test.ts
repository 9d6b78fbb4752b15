import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { builtInProvidersWithoutKey, DEFAULT_MODELS } from './default-catalog.ts';
import { ConfigError, loadConfig } from './load-config.ts';

function writeConfig(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'shepherd-config-')), 'shepherd.yaml');
  writeFileSync(path, text);
  return path;
}

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.problems;
  }
  assert.fail('the configuration was accepted');
}

test('no file: built-in catalogue, keys from the environment, the rest on the simulator', () => {
  const { config, simulatedProviders } = loadConfig({
    env: { OPENAI_API_KEY: 'sk-real-openai' },
    simulatorUrl: 'http://127.0.0.1:9999',
  });
  assert.deepEqual(
    config.models.map((model) => model.id),
    DEFAULT_MODELS.map((model) => model.id),
  );
  assert.deepEqual(simulatedProviders, ['anthropic', 'gemini', 'deepseek']);
  assert.deepEqual(config.providers.openai, {
    type: 'openai',
    baseUrl: 'https://api.openai.com/v1',
    apiKey: 'sk-real-openai',
    headers: {},
  });
  assert.equal(config.providers.anthropic?.baseUrl, 'http://127.0.0.1:9999');
  assert.equal(config.server.port, 8080);
  assert.equal(config.database.url, 'sqlite:./data/shepherd.db');
});

test('every seed model is priced at the list prices the seed quotes for output', () => {
  const { config } = loadConfig({ env: {} });
  const output = Object.fromEntries(
    config.models.map((model) => [model.id, model.pricing?.output]),
  );
  assert.equal(output['claude-sonnet-4-20250514'], '15');
  assert.equal(output['claude-sonnet-4-5'], '15');
  assert.equal(output['gpt-4.1'], '8');
  assert.equal(output['gemini-2.5-flash'], '2.5');
  assert.equal(output['deepseek-v3.2'], '0.42');
});

test('environment variables and their fallbacks are substituted into the file', () => {
  const path = writeConfig(`
server: { port: 9090 }
providers:
  local:
    type: openai-compatible
    baseUrl: \${LOCAL_URL:-http://127.0.0.1:8000/v1}
    apiKey: \${LOCAL_KEY}
models:
  - { id: qwen, ownedBy: local, contextWindow: 32768, maxOutputTokens: 4096, free: true,
      routes: [{ provider: local, model: Qwen/Qwen3 }] }
`);
  const { config } = loadConfig({ path, env: { LOCAL_KEY: 'secret-key' } });
  assert.equal(config.providers.local?.baseUrl, 'http://127.0.0.1:8000/v1');
  assert.equal(config.providers.local?.apiKey, 'secret-key');
  assert.equal(config.server.port, 9090);
});

test('a bad file fails with one error listing every problem with its path', () => {
  const path = writeConfig(`
server: { port: 99999, prot: 1 }
providers:
  local:
    type: grpc
    baseUrl: not-a-url
    apiKey: \${MISSING_KEY}
models:
  - { id: a, ownedBy: x, contextWindow: 10, maxOutputTokens: 5, free: true, routes: [{ provider: local, model: m }] }
`);
  const problems = problemsOf(() => loadConfig({ path, env: {} }));
  const expectedFragments = [
    'providers.local.apiKey: environment variable MISSING_KEY is not set',
    'server.port',
    'server: Unrecognized key: "prot"',
    'providers.local.type',
    'providers.local.baseUrl',
  ];
  for (const fragment of expectedFragments) {
    assert.ok(
      problems.some((problem) => problem.includes(fragment)),
      `missing "${fragment}" in:\n${problems.join('\n')}`,
    );
  }
  assert.throws(() => loadConfig({ path, env: {} }), /Invalid configuration:\n {2}- /);
});

test('cross-field rules: unpriced models, duplicate names and unknown providers', () => {
  const path = writeConfig(`
providers:
  local: { type: openai-compatible, baseUrl: http://127.0.0.1:8000/v1 }
models:
  - { id: a, ownedBy: x, contextWindow: 10, maxOutputTokens: 5, routes: [{ provider: nowhere, model: m }] }
  - { id: b, aliases: [A], ownedBy: x, contextWindow: 10, maxOutputTokens: 5, free: true,
      routes: [{ provider: local, model: m }] }
`);
  assert.deepEqual(
    problemsOf(() => loadConfig({ path, env: {} })),
    [
      'models[0].pricing: model "a" has no pricing; add pricing or mark it `free: true`',
      'models[0].routes[0].provider: unknown provider "nowhere" (declared: local)',
      'models[1]: the name "A" is used by both "a" and "b"',
    ],
  );
});

test('an unreadable or non-YAML file is a configuration error naming the file', () => {
  assert.match(
    problemsOf(() => loadConfig({ path: '/nonexistent/shepherd.yaml', env: {} }))[0] ?? '',
    /cannot read \/nonexistent\/shepherd\.yaml/,
  );
  const path = writeConfig('providers: [unclosed');
  assert.match(problemsOf(() => loadConfig({ path, env: {} }))[0] ?? '', /is not valid YAML/);
});

test('failover rules: fallbacks must exist, deployments are listed once, weights are positive', () => {
  const path = writeConfig(`
providers:
  local: { type: openai-compatible, baseUrl: http://127.0.0.1:8000/v1 }
routing:
  fallbacks: [ghost]
models:
  - { id: a, ownedBy: x, contextWindow: 10, maxOutputTokens: 5, free: true, fallbacks: [b, nope],
      routes: [{ provider: local, model: m }, { provider: local, model: m, weight: 2 }] }
  - { id: b, ownedBy: x, contextWindow: 10, maxOutputTokens: 5, free: true,
      routes: [{ provider: local, model: n, weight: 0 }] }
`);
  assert.deepEqual(
    problemsOf(() => loadConfig({ path, env: {} })),
    [
      'models[1].routes[0].weight: Too small: expected number to be >0',
      'routing.fallbacks[0]: unknown fallback model "ghost"',
      'models[0].fallbacks[1]: unknown fallback model "nope"',
      'models[0].routes[1]: the deployment "local/m" is listed twice',
    ],
  );
});

test('routing defaults: no fallbacks, keep-alives after 10 s, retry and breaker overrides empty', () => {
  const { config } = loadConfig({ env: {} });
  assert.deepEqual(config.routing, {
    fallbacks: [],
    retry: {},
    circuitBreaker: {},
    streamKeepAliveMs: 10_000,
  });
  assert.equal(config.upstream.totalTimeoutMs, 600_000);
  const reasoner = config.models.find((model) => model.id === 'deepseek-v3.2-reasoner');
  assert.deepEqual(reasoner?.timeouts, { firstByteMs: 300_000, totalMs: 1_800_000 });
  assert.deepEqual(reasoner?.routes, [
    { provider: 'deepseek', model: 'deepseek-reasoner', weight: 1, priority: 0 },
  ]);
});

test('a hold must outlive the longest request: the retry budget plus the longest upstream call', () => {
  const config = (holdTtlSeconds: number, modelTotalMs: number) =>
    writeConfig(`
billing: { holdTtlSeconds: ${holdTtlSeconds} }
routing: { retry: { budgetMs: 30000 } }
upstream: { totalTimeoutMs: 600000 }
providers:
  local: { type: openai-compatible, baseUrl: http://127.0.0.1:8000/v1 }
models:
  - { id: a, ownedBy: x, contextWindow: 10, maxOutputTokens: 5, free: true,
      timeouts: { totalMs: ${modelTotalMs} }, routes: [{ provider: local, model: m }] }
`);
  assert.deepEqual(
    problemsOf(() => loadConfig({ path: config(600, 1000), env: {} })),
    [
      'billing.holdTtlSeconds: holdTtlSeconds (600) must exceed the longest a request can run: the retry budget (30000 ms) plus the longest upstream call (600000 ms), or holds expire while answers still stream',
    ],
  );
  // A model's own longer limit counts too.
  assert.equal(problemsOf(() => loadConfig({ path: config(1800, 1_800_000), env: {} })).length, 1);
  assert.doesNotThrow(() => loadConfig({ path: config(631, 1000), env: {} }));
  // The defaults fit: 3 600 s against 60 s + 1 800 s (the reasoning models of the catalogue).
  assert.doesNotThrow(() => loadConfig({ env: {} }));
});

test("the server's headers limit may not exceed its request limit, which covers the headers", () => {
  const path = writeConfig(`
server: { headersTimeoutMs: 60000, requestTimeoutMs: 30000 }
providers:
  local: { type: openai-compatible, baseUrl: http://127.0.0.1:8000/v1 }
models:
  - { id: a, ownedBy: x, contextWindow: 10, maxOutputTokens: 5, free: true, routes: [{ provider: local, model: m }] }
`);
  assert.deepEqual(
    problemsOf(() => loadConfig({ path, env: {} })),
    [
      'server.headersTimeoutMs: headersTimeoutMs (60000) must not exceed requestTimeoutMs (30000), which covers the headers too',
    ],
  );
});

test('a variable set to the empty string is refused as such, with the way to allow it', () => {
  const config = (apiKey: string) =>
    writeConfig(`
providers:
  local:
    type: openai-compatible
    baseUrl: http://127.0.0.1:8000/v1
    apiKey: ${apiKey}
models:
  - { id: a, ownedBy: x, contextWindow: 10, maxOutputTokens: 5, free: true, routes: [{ provider: local, model: m }] }
`);
  const env = { LOCAL_KEY: '' };
  assert.deepEqual(
    problemsOf(() => loadConfig({ path: config(`\${LOCAL_KEY}`), env })),
    [
      `providers.local.apiKey: environment variable LOCAL_KEY is empty (write \${LOCAL_KEY:-} to allow an empty value)`,
    ],
  );
  const allowed = loadConfig({ path: config(`\${LOCAL_KEY:-}`), env });
  assert.equal(allowed.config.providers.local?.apiKey, '');
});

test('the built-in providers without a key: either of Gemini’s two variables is its key', () => {
  const keys = { OPENAI_API_KEY: 'a', ANTHROPIC_API_KEY: 'b', DEEPSEEK_API_KEY: 'd' };
  assert.deepEqual(builtInProvidersWithoutKey({ ...keys, GEMINI_API_KEY: 'c' }), []);
  assert.deepEqual(builtInProvidersWithoutKey({ ...keys, GOOGLE_API_KEY: 'c' }), []);
  assert.deepEqual(builtInProvidersWithoutKey({ ...keys, GEMINI_API_KEY: '' }), ['gemini']);
  assert.deepEqual(builtInProvidersWithoutKey({}), ['openai', 'anthropic', 'gemini', 'deepseek']);
});

test('server.trustProxy takes addresses, CIDR ranges and named ranges, and names a bad entry', () => {
  const good = writeConfig(
    'server: { trustProxy: [loopback, 10.0.0.0/8, "::1", "fd00::/8", 192.168.1.7] }\n',
  );
  assert.deepEqual(loadConfig({ path: good, env: {} }).config.server.trustProxy, [
    'loopback',
    '10.0.0.0/8',
    '::1',
    'fd00::/8',
    '192.168.1.7',
  ]);
  const bad = writeConfig('server: { trustProxy: [loopback, 10.0.0.0/33, proxy.internal] }\n');
  const problems = problemsOf(() => loadConfig({ path: bad, env: {} }));
  for (const fragment of ['server.trustProxy[1]', 'server.trustProxy[2]']) {
    assert.ok(
      problems.some((problem) => problem.includes(fragment) && problem.includes('CIDR range')),
      `missing "${fragment}" in:\n${problems.join('\n')}`,
    );
  }
  assert.equal(loadConfig({ env: {} }).config.server.trustProxy, false);
});

test('admin.token: whitespace around it is dropped, whitespace inside it is refused', () => {
  const padded = writeConfig(`admin: { token: "\${ADMIN_TOKEN}" }\n`);
  const env = { ADMIN_TOKEN: ' 0123456789abcdef0123456789abcdef\n' };
  assert.equal(
    loadConfig({ path: padded, env }).config.admin.token,
    '0123456789abcdef0123456789abcdef',
  );
  const spaced = writeConfig('admin: { token: "correct horse battery staple 42 xyz" }\n');
  const problems = problemsOf(() => loadConfig({ path: spaced, env: {} }));
  assert.ok(
    problems.some((problem) => problem.startsWith('admin.token') && problem.includes('whitespace')),
    problems.join('\n'),
  );
});

test('leaveOutProvidersWithoutKey: built-in providers without a key are left out with their models', () => {
  const loaded = loadConfig({
    env: { DEEPSEEK_API_KEY: 'sk-deepseek' },
    simulatorUrl: 'http://127.0.0.1:9',
    leaveOutProvidersWithoutKey: true,
  });
  assert.deepEqual(Object.keys(loaded.config.providers), ['deepseek']);
  assert.deepEqual(
    loaded.config.models.map((model) => model.id),
    ['deepseek-v3.2', 'deepseek-v3.2-reasoner'],
  );
  assert.deepEqual(loaded.leftOutProviders, ['openai', 'anthropic', 'gemini']);
  assert.deepEqual(loaded.simulatedProviders, []);
});
