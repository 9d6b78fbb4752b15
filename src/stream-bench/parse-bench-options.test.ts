import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBenchOptions, type RawBenchOptions } from './parse-bench-options.ts';

const DEFAULTS: RawBenchOptions = {
  lengths: '200,500,1000,2000',
  runs: '3',
  concurrency: '1',
  timeout: '120',
  format: 'table',
};

const parse = (options: Partial<RawBenchOptions>) => parseBenchOptions({ ...DEFAULTS, ...options });

test('one endpoint with the defaults', () => {
  assert.deepEqual(parse({ baseUrl: 'https://api.example.com/v1/', apiKey: 'sk-1', model: 'm' }), {
    source: {
      kind: 'endpoints',
      targets: [
        { name: 'endpoint', baseUrl: 'https://api.example.com/v1', apiKey: 'sk-1', model: 'm' },
      ],
    },
    lengths: [200, 500, 1000, 2000],
    runs: 3,
    concurrency: 1,
    timeoutMs: 120_000,
    format: 'table',
    out: undefined,
  });
});

test('--compare-direct adds a direct target with its own key and model, or the gateway ones', () => {
  const both = parse({
    baseUrl: 'http://127.0.0.1:8080/v1',
    apiKey: 'sk-shep-1',
    model: 'gpt-4.1',
    compareDirect: 'https://api.openai.com/v1',
    directApiKey: 'sk-openai',
    directModel: 'gpt-4.1-2025-04-14',
  }).source;
  assert.deepEqual(both, {
    kind: 'endpoints',
    targets: [
      {
        name: 'gateway',
        baseUrl: 'http://127.0.0.1:8080/v1',
        apiKey: 'sk-shep-1',
        model: 'gpt-4.1',
      },
      {
        name: 'direct',
        baseUrl: 'https://api.openai.com/v1',
        apiKey: 'sk-openai',
        model: 'gpt-4.1-2025-04-14',
      },
    ],
  });
  const shared = parse({
    baseUrl: 'http://a/v1',
    apiKey: 'k',
    model: 'm',
    compareDirect: 'http://b',
  });
  assert.equal(shared.source.kind === 'endpoints' && shared.source.targets[1]?.apiKey, 'k');
});

test('--simulator: gpt-4.1 and realistic latency by default; instant; a custom profile', () => {
  assert.deepEqual(parse({ simulator: true }).source, {
    kind: 'simulator',
    model: 'gpt-4.1',
    directModel: undefined,
    latency: 'realistic',
  });
  const instant = parse({ simulator: true, latency: 'instant', model: 'claude-sonnet-4-5' });
  assert.deepEqual(instant.source, {
    kind: 'simulator',
    model: 'claude-sonnet-4-5',
    directModel: undefined,
    latency: 'instant',
  });
  const custom = parse({ simulator: true, simulatorProfile: 'ttft=20, tps=2000,chunk=2' });
  assert.equal(custom.source.kind, 'simulator');
  assert.deepEqual(custom.source.kind === 'simulator' && custom.source.latency, {
    timeToFirstTokenMs: 20,
    tokensPerSecond: 2000,
    tokensPerChunk: 2,
  });
});

test('lengths, runs, concurrency, timeout and --out are checked and converted', () => {
  const settings = parse({
    simulator: true,
    lengths: '20, 50,20',
    runs: '2',
    concurrency: '4',
    timeout: '1.5',
    format: 'json',
    out: 'results.CSV',
  });
  assert.deepEqual(settings.lengths, [20, 50]);
  // Repeats are found by value, not by spelling.
  assert.deepEqual(parse({ simulator: true, lengths: '200,0200, 200 ,500' }).lengths, [200, 500]);
  assert.equal(settings.runs, 2);
  assert.equal(settings.concurrency, 4);
  assert.equal(settings.timeoutMs, 1_500);
  assert.equal(settings.format, 'json');
  assert.deepEqual(settings.out, { path: 'results.CSV', format: 'csv' });
  assert.deepEqual(parse({ simulator: true, out: '/tmp/x.json' }).out, {
    path: '/tmp/x.json',
    format: 'json',
  });
});

test('every bad flag is refused with a message naming it', () => {
  const cases: Array<[Partial<RawBenchOptions>, RegExp]> = [
    [{}, /give --base-url .* or --simulator/],
    [
      { baseUrl: 'not-a-url', model: 'm' },
      /--base-url must be an http:\/\/ or https:\/\/ URL, not "not-a-url"/,
    ],
    [{ baseUrl: 'ftp://host/v1', model: 'm' }, /--base-url must be an http/],
    [{ baseUrl: 'http://host/v1' }, /--model is required/],
    [
      { baseUrl: 'http://h', model: 'm', compareDirect: 'nope' },
      /--compare-direct must be an http/,
    ],
    [{ baseUrl: 'http://h', model: 'm', directModel: 'x' }, /need --compare-direct/],
    [
      { baseUrl: 'http://h', model: 'm', latency: 'instant' },
      /--latency applies only with --simulator/,
    ],
    [{ simulator: true, baseUrl: 'http://h' }, /drop --base-url/],
    [{ simulator: true, latency: 'slow' }, /--latency must be realistic or instant/],
    [{ simulator: true, simulatorProfile: 'ttft=20' }, /--simulator-profile takes/],
    [{ simulator: true, simulatorProfile: 'ttft=20,tps=0' }, /--simulator-profile takes/],
    [{ simulator: true, simulatorProfile: 'ttft=20,tps=9,speed=2' }, /--simulator-profile takes/],
    [
      { simulator: true, lengths: '200,abc' },
      /--lengths takes whole numbers from 1 to 100000, not "abc"/,
    ],
    [{ simulator: true, lengths: '0' }, /--lengths/],
    [{ simulator: true, runs: '2.5' }, /--runs/],
    [{ simulator: true, concurrency: '0' }, /--concurrency/],
    [{ simulator: true, timeout: '0' }, /--timeout must be a number of seconds/],
    [{ simulator: true, format: 'xml' }, /--format must be table, csv or json/],
    [{ simulator: true, out: 'results.txt' }, /--out must name a .csv or .json file/],
  ];
  for (const [options, expected] of cases) {
    assert.throws(() => parse(options), expected, JSON.stringify(options));
  }
});
