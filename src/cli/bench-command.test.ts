import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import * as z from 'zod';
import {
  cliEnvironment,
  freePort,
  runShepherdResult,
} from '../../test/helpers/run-shepherd-cli.ts';
import { startTestGateway } from '../../test/helpers/start-test-gateway.ts';
import { safeParseJson } from '../util/safe-parse-json.ts';

const FAST_PROFILE = ['--simulator-profile', 'ttft=20,tps=2000'];

const distributionSchema = z.object({ avg: z.number(), p50: z.number(), p95: z.number() });
const reportSchema = z.object({
  settings: z.object({ lengths: z.array(z.number()), runs: z.number() }),
  targets: z.array(z.object({ name: z.string(), baseUrl: z.string(), model: z.string() })),
  upstream: z.string().nullable(),
  rows: z.array(
    z.object({
      target: z.string(),
      length: z.number(),
      requests: z.number(),
      succeeded: z.number(),
      completionTokensAvg: z.number(),
      tokensFrom: z.string(),
      ttftMs: distributionSchema,
      totalMs: distributionSchema,
    }),
  ),
  gatewayShares: z.array(z.object({ length: z.number(), ttftMs: distributionSchema })),
  samples: z.array(
    z.object({
      target: z.string(),
      length: z.number(),
      ok: z.literal(true),
      measurement: z.object({
        ttftMs: z.number(),
        totalMs: z.number(),
        completionTokens: z.number(),
      }),
    }),
  ),
});

function parseReport(text: string) {
  const parsed = safeParseJson(text);
  assert.ok(parsed.ok, text);
  return reportSchema.parse(parsed.value);
}

/** A server that answers every request with `respond`, for endpoints that are not what they claim. */
async function startFakeServer(respond: Parameters<typeof createServer>[1]): Promise<{
  url: string;
  server: Server;
}> {
  const server = createServer(respond);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { url: `http://127.0.0.1:${address.port}/v1`, server };
}

describe('shepherd bench', { concurrency: true }, () => {
  test('--simulator: gateway and direct rows with the asked lengths, JSON on stdout, CSV file', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'shepherd-bench-'));
    try {
      const csvPath = join(directory, 'results.csv');
      const args = ['bench', '--simulator', '--lengths', '20,50', '--runs', '2', ...FAST_PROFILE];
      const result = await runShepherdResult([...args, '--format', 'json', '--out', csvPath]);
      assert.equal(result.code, 0, result.stderr);
      const report = parseReport(result.stdout);
      assert.deepEqual(
        report.targets.map((target) => [target.name, target.model]),
        [
          ['gateway', 'gpt-4.1'],
          ['direct', 'gpt-4.1'],
        ],
      );
      assert.match(report.upstream ?? '', /provider simulator, custom latency/);
      assert.deepEqual(
        report.rows.map((row) => [row.length, row.target, row.succeeded, row.requests]),
        [
          [20, 'gateway', 2, 2],
          [20, 'direct', 2, 2],
          [50, 'gateway', 2, 2],
          [50, 'direct', 2, 2],
        ],
      );
      for (const row of report.rows) {
        assert.equal(row.completionTokensAvg, row.length, 'the simulator answers exactly N tokens');
        assert.equal(row.tokensFrom, 'usage');
        assert.ok(row.ttftMs.p50 >= 0 && row.ttftMs.p95 >= row.ttftMs.p50);
        assert.ok(row.totalMs.avg >= row.ttftMs.avg);
      }
      assert.deepEqual(
        report.gatewayShares.map((share) => share.length),
        [20, 50],
      );
      assert.equal(report.samples.length, 8);
      for (const sample of report.samples) {
        assert.equal(sample.measurement.completionTokens, sample.length);
        assert.ok(sample.measurement.ttftMs > 0);
        assert.ok(sample.measurement.totalMs >= sample.measurement.ttftMs);
      }
      assert.match(result.stderr, /warm-up: gateway http:\/\/127\.0\.0\.1:\d+\/v1 \(gpt-4\.1\)/);
      assert.match(result.stderr, /run 8\/8: direct, 50 tokens, run 2: TTFT /);

      const csv = (await readFile(csvPath, 'utf8')).split('\r\n');
      assert.equal(
        csv[0],
        'length,target,requests,succeeded,completion_tokens_avg,tokens_from,ttft_avg_ms,ttft_p50_ms,' +
          'ttft_p95_ms,total_avg_ms,total_p50_ms,total_p95_ms,tokens_per_second_avg,chunks_per_second_avg',
      );
      assert.deepEqual(
        csv.slice(1, -1).map((line) => line.split(',').slice(0, 6).join(',')),
        [
          '20,gateway,2,2,20,usage',
          '20,direct,2,2,20,usage',
          '20,gateway_minus_direct,,,,',
          '50,gateway,2,2,50,usage',
          '50,direct,2,2,50,usage',
          '50,gateway_minus_direct,,,,',
        ],
      );
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  test('--simulator --latency instant: the table on stdout, JSON file', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'shepherd-bench-'));
    try {
      const jsonPath = join(directory, 'results.json');
      const result = await runShepherdResult([
        'bench',
        '--simulator',
        '--latency',
        'instant',
        '--model',
        'deepseek-v3.2',
        '--lengths',
        '30',
        '--runs',
        '2',
        '--out',
        jsonPath,
      ]);
      assert.equal(result.code, 0, result.stderr);
      const lines = result.stdout.split('\n');
      assert.match(lines[0] ?? '', /^Streaming benchmark: 2 runs per length, concurrency 1/);
      assert.match(result.stdout, /upstream {2}Shepherd's provider simulator, instant latency/);
      const header = lines.find((line) => line.startsWith('Length'));
      assert.deepEqual(header?.split(/\s{2,}/), [
        'Length',
        'Target',
        'OK',
        'Tokens',
        'TTFT avg',
        'TTFT p50',
        'TTFT p95',
        'Total avg',
        'Tokens/s',
        'Chunks/s',
      ]);
      assert.match(result.stdout, /\n {4}30 {2}gateway {11}2\/2 {6}30 {2}/);
      assert.match(result.stdout, /\n {4}30 {2}direct {12}2\/2 {6}30 {2}/);
      assert.match(result.stdout, /\n {4}30 {2}gateway − direct +[+-]\d+\.\d ms/);
      assert.match(result.stderr, new RegExp(`wrote ${jsonPath.replaceAll('.', '\\.')}`));
      const report = parseReport(await readFile(jsonPath, 'utf8'));
      assert.deepEqual(
        report.targets.map((target) => [target.name, target.model]),
        [
          ['gateway', 'deepseek-v3.2'],
          ['direct', 'deepseek-chat'],
        ],
        'direct asks the simulator for the upstream model name',
      );
      assert.deepEqual(
        report.samples.map((sample) => sample.measurement.completionTokens),
        [30, 30, 30, 30],
      );
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  test('--base-url with --compare-direct, and a wrong key named by its status', async () => {
    const gateway = await startTestGateway();
    try {
      const common = ['--model', 'gpt-4.1', '--lengths', '10', '--runs', '1'];
      const [compared, unauthorized] = await Promise.all([
        runShepherdResult([
          'bench',
          '--base-url',
          gateway.baseUrl,
          '--api-key',
          gateway.apiKey,
          '--compare-direct',
          `${gateway.simulator.url}/v1`,
          '--direct-api-key',
          'simulator',
          ...common,
          '--format',
          'csv',
        ]),
        runShepherdResult([
          'bench',
          '--base-url',
          gateway.baseUrl,
          '--api-key',
          'sk-shep-wrong',
          ...common,
        ]),
      ]);
      assert.equal(compared.code, 0, compared.stderr);
      assert.deepEqual(
        compared.stdout
          .trim()
          .split('\r\n')
          .slice(1)
          .map((line) => line.split(',').slice(0, 5).join(',')),
        ['10,gateway,1,1,10', '10,direct,1,1,10', '10,gateway_minus_direct,,,'],
      );
      assert.equal(unauthorized.code, 1);
      assert.equal(unauthorized.stdout, '');
      assert.match(
        unauthorized.stderr,
        new RegExp(
          `shepherd: endpoint \\(${gateway.baseUrl}\\): HTTP 401 Unauthorized from ` +
            `${gateway.baseUrl}/chat/completions: Incorrect API key provided`,
        ),
      );
    } finally {
      await gateway.close();
    }
  });

  test('clear errors: bad URL, nothing listening, a server that does not stream, a timeout', async () => {
    const port = await freePort();
    const json = await startFakeServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"choices":[]}');
    });
    const silent = await startFakeServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.flushHeaders();
    });
    try {
      const bench = (baseUrl: string, ...extra: string[]) =>
        runShepherdResult([
          'bench',
          '--base-url',
          baseUrl,
          '--model',
          'm',
          '--runs',
          '1',
          ...extra,
        ]);
      const [badUrl, refused, notStreaming, timedOut] = await Promise.all([
        bench('localhost:8080/v1'),
        bench(`http://127.0.0.1:${port}/v1`),
        bench(json.url),
        bench(silent.url, '--timeout', '0.3'),
      ]);
      assert.equal(badUrl.code, 1);
      assert.equal(
        badUrl.stderr,
        'shepherd: --base-url must be an http:// or https:// URL, not "localhost:8080/v1"\n',
      );
      assert.equal(refused.code, 1);
      assert.match(
        refused.stderr,
        new RegExp(
          `cannot reach http://127\\.0\\.0\\.1:${port}/v1/chat/completions: .*ECONNREFUSED`,
        ),
      );
      assert.equal(notStreaming.code, 1);
      assert.match(
        notStreaming.stderr,
        /\/v1\/chat\/completions did not stream: it answered HTTP 200 with content-type application\/json, not text\/event-stream/,
      );
      assert.equal(timedOut.code, 1);
      assert.match(timedOut.stderr, /chat\/completions did not finish within 0\.3 s \(--timeout\)/);
    } finally {
      silent.server.closeAllConnections();
      silent.server.close();
      json.server.close();
    }
  });

  test('Ctrl-C stops the run, prints what finished and exits 130', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/main.ts',
        'bench',
        '--simulator',
        '--simulator-profile',
        'ttft=20,tps=400',
        '--lengths',
        '100',
        '--runs',
        '100',
      ],
      { cwd: new URL('../..', import.meta.url).pathname, env: cliEnvironment() },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const firstRun = new Promise<void>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('run 1/200')) resolve();
      });
    });
    const exited = once(child, 'exit');
    await Promise.race([firstRun, exited]);
    child.kill('SIGINT');
    const [code] = await exited;
    assert.equal(code, 130, stderr);
    assert.match(stderr, /stopping \(Ctrl-C again to quit at once\)/);
    assert.match(stdout, /Interrupted: the figures cover the \d+ requests that finished\./);
    assert.doesNotMatch(stderr, /run 200\/200/);
  });
});
