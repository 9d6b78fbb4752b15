import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { cliEnvironment, runShepherdResult } from '../helpers/run-shepherd-cli.ts';

const CLI = ['--import', 'tsx', 'src/cli/main.ts'];
const cwd = new URL('../..', import.meta.url).pathname;
/** Provider keys are removed so `start` always uses the simulator, whatever the machine has set. */
const env = cliEnvironment();

const shepherd = (args: string[]) => runShepherdResult(args);

/**
 * `shepherd start` with `args`, its output (stdout and stderr) collected, killed when the test
 * ends; resolves once the banner (written whole, its `curl` line last) is out.
 */
async function startFromCli(
  context: TestContext,
  args: string[],
  extraEnv: Record<string, string> = {},
): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, [...CLI, 'start', ...args], {
    cwd,
    env: { ...env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  context.after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const deadline = Date.now() + 30_000;
  while (!/curl -N (\S+)\/chat/.test(output)) {
    assert.ok(
      Date.now() < deadline && child.exitCode === null,
      `start printed no banner in 30 s:\n${output}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, output: () => output };
}

test('keys create shows the key once; list shows only prefix and last four; revoke works', async () => {
  const database = `sqlite:${join(mkdtempSync(join(tmpdir(), 'shepherd-cli-')), 'shepherd.db')}`;
  const created = await shepherd([
    'keys',
    'create',
    '--database',
    database,
    '--account',
    'team-a',
    '--name',
    'laptop',
  ]);
  assert.equal(created.code, 0, created.stderr);
  const key = /^(sk-shep-[A-Za-z0-9]{40})$/m.exec(created.stdout)?.[1];
  assert.ok(key, created.stdout);
  const keyId = /Key (key_[0-9a-f]+)/.exec(created.stdout)?.[1];
  assert.ok(keyId);

  const listed = await shepherd(['keys', 'list', '--database', database]);
  assert.equal(listed.code, 0, listed.stderr);
  assert.ok(listed.stdout.includes(`${key.slice(0, 12)}…${key.slice(-4)}`), listed.stdout);
  assert.ok(!listed.stdout.includes(key), 'the full key must never be listed');
  assert.match(listed.stdout, /active/);

  const revoked = await shepherd(['keys', 'revoke', '--database', database, keyId]);
  assert.equal(revoked.code, 0, revoked.stderr);
  assert.match((await shepherd(['keys', 'list', '--database', database])).stdout, /revoked/);
  const again = await shepherd(['keys', 'revoke', '--database', database, keyId]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /no active key matches/);
});

test('keys create refuses a past or loose --expires; keys list shows an expired key as expired', async () => {
  const database = `sqlite:${join(mkdtempSync(join(tmpdir(), 'shepherd-cli-')), 'shepherd.db')}`;
  const create = (expires: string) =>
    shepherd(['keys', 'create', '--database', database, '--expires', expires]);
  const [past, bareNumber, noSuchDay] = await Promise.all([
    create('2020-01-01T00:00:00Z'),
    create('12'),
    create('2099-02-30'),
  ]);
  assert.equal(past.code, 1, past.stdout);
  assert.match(past.stderr, /--expires: the date is in the past/);
  assert.equal(bareNumber.code, 1, bareNumber.stdout);
  assert.match(bareNumber.stderr, /--expires: not an existing ISO-8601 date/);
  assert.equal(noSuchDay.code, 1, noSuchDay.stdout);
  assert.match((await shepherd(['keys', 'list', '--database', database])).stdout, /No API keys/);

  const created = await create('2099-01-01T00:00:00Z');
  assert.equal(created.code, 0, created.stderr);
  const keyId = /Key (key_[0-9a-f]+)/.exec(created.stdout)?.[1] ?? '';
  assert.match((await shepherd(['keys', 'list', '--database', database])).stdout, /'active'/);
  const expired = await shepherd([
    'keys',
    'policy',
    keyId,
    '--database',
    database,
    '--expires',
    '2020-01-01T00:00:00Z',
  ]);
  assert.equal(expired.code, 0, expired.stderr);
  // As the admin API's status: the policy's expiry has passed.
  assert.match((await shepherd(['keys', 'list', '--database', database])).stdout, /'expired'/);
});

test('a bad config stops start with every problem listed and no stack trace', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'shepherd-cli-')), 'bad.yaml');
  writeFileSync(path, 'server: { port: -1 }\nproviders: {}\nmodels: []\n');
  const result = await shepherd(['start', '--config', path]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /Invalid configuration:/);
  assert.match(result.stderr, /server\.port/);
  assert.match(result.stderr, /models/);
  assert.doesNotMatch(result.stderr, /at .*\.ts:\d+/);
});

test('start with no provider keys serves the simulator and prints a working demo key', async (context) => {
  const database = `sqlite:${join(mkdtempSync(join(tmpdir(), 'shepherd-cli-')), 'shepherd.db')}`;
  const { child, output: read } = await startFromCli(context, [
    '--port',
    '0',
    '--database',
    database,
  ]);
  const output = read();
  const key = /Demo API key[^\n]*(sk-shep-\S+)/.exec(output)?.[1];
  const baseUrl = /curl -N (\S+)\/chat/.exec(output)?.[1];
  assert.match(
    output,
    /Simulated providers \(no API key set, answers are simulated\): openai, anthropic, gemini, deepseek/,
  );

  const response = await fetch(`${baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: 'Hello' }],
    }),
  });
  assert.equal(response.status, 200);
  const completion = (await response.json()) as {
    choices: Array<{ message: { content: string } }>;
  };
  assert.match(completion.choices[0]?.message.content ?? '', /simulat/i);

  child.kill('SIGTERM');
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  assert.equal(code, 0);
});

test('start --config <file without providers> --simulator simulates every built-in provider, keys or not', async (context) => {
  const folder = mkdtempSync(join(tmpdir(), 'shepherd-cli-'));
  const path = join(folder, 'no-providers.yaml');
  writeFileSync(path, 'server: { host: 127.0.0.1 }\n');
  // A real-looking key: without the fix the gateway would send requests to api.openai.com.
  const { child, output: read } = await startFromCli(
    context,
    [
      '--config',
      path,
      '--simulator',
      '--port',
      '0',
      '--database',
      `sqlite:${join(folder, 'shepherd.db')}`,
    ],
    { OPENAI_API_KEY: 'sk-not-a-real-key' },
  );
  const output = read();
  assert.match(output, /Simulated providers[^\n]*: openai, anthropic, gemini, deepseek/);
  const key = /Demo API key[^\n]*(sk-shep-\S+)/.exec(output)?.[1];
  const baseUrl = /curl -N (\S+)\/chat/.exec(output)?.[1];
  const response = await fetch(`${baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'Hello' }] }),
  });
  assert.equal(response.status, 200, await response.clone().text());
  await response.arrayBuffer();
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
});

test('start beyond loopback with some provider keys leaves out the providers without one instead of simulating them', async (context) => {
  const folder = mkdtempSync(join(tmpdir(), 'shepherd-cli-'));
  const database = `sqlite:${join(folder, 'shepherd.db')}`;
  const created = await shepherd(['keys', 'create', '--database', database, '--account', 'team-a']);
  assert.equal(created.code, 0, created.stderr);
  const key = /^(sk-shep-[A-Za-z0-9]{40})$/m.exec(created.stdout)?.[1];
  assert.ok(key, created.stdout);
  // A real-looking key for one provider: the gateway must not call api.openai.com in this test,
  // and it does not (only the models list and a refused model are asked for).
  const { child, output: read } = await startFromCli(
    context,
    ['--host', '0.0.0.0', '--port', '0', '--database', database],
    {
      OPENAI_API_KEY: 'sk-not-a-real-key',
      SHEPHERD_ADMIN_TOKEN: 'e2e-admin-token-9f3c1a7b5d2e8f4a6c0b',
    },
  );
  const output = read();
  assert.match(output, /Providers: openai\n/);
  assert.match(output, /Not served \(no API key set[^\n]*\): anthropic, gemini, deepseek/);
  assert.doesNotMatch(output, /Simulated providers/);
  const port = /curl -N http:\/\/[^:]+:(\d+)\//.exec(output)?.[1];
  assert.ok(port, output);
  const models = await fetch(`http://127.0.0.1:${port}/v1/models`, {
    headers: { authorization: `Bearer ${key}` },
  });
  const listed = (await models.json()) as { data: Array<{ id: string }> };
  assert.deepEqual(
    listed.data.map((model) => model.id),
    ['gpt-4.1'],
  );
  const claude = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'claude-sonnet-4-5',
      messages: [{ role: 'user', content: 'Hello' }],
    }),
  });
  assert.equal(claude.status, 404, await claude.clone().text());
  await claude.arrayBuffer();
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
});

test('start --simulator with a config that declares its own providers is refused, saying why', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'shepherd-cli-')), 'own-providers.yaml');
  writeFileSync(
    path,
    [
      'providers:',
      '  local: { type: openai-compatible, baseUrl: "http://127.0.0.1:9/v1", apiKey: x }',
      'models:',
      '  - { id: qwen, ownedBy: local, contextWindow: 32768, maxOutputTokens: 4096, free: true,',
      '      routes: [{ provider: local, model: Qwen/Qwen3 }] }',
      '',
    ].join('\n'),
  );
  const result = await shepherd(['start', '--config', path, '--simulator']);
  assert.equal(result.code, 1, result.stdout);
  assert.match(result.stderr, /--simulator .*declares its own providers section/);
  assert.doesNotMatch(result.stderr, /at .*\.ts:\d+/);
});

test('--version prints the package version', async () => {
  const { version } = JSON.parse(
    readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
  ) as { version: string };
  for (const flag of ['--version', '-V']) {
    const printed = await shepherd([flag]);
    assert.equal(printed.code, 0, printed.stderr);
    assert.equal(printed.stdout.trim(), version);
  }
});
