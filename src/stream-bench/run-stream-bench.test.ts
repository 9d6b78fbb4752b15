import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BenchRequestError } from './bench-request-error.ts';
import type { BenchTarget, StreamMeasurement } from './bench-types.ts';
import { runStreamBench, type SendBenchRequest, WARMUP_TOKENS } from './run-stream-bench.ts';

const gateway: BenchTarget = { name: 'gateway', baseUrl: 'http://g/v1', apiKey: 'k', model: 'm' };
const direct: BenchTarget = { name: 'direct', baseUrl: 'http://d/v1', apiKey: 'k', model: 'm' };

const measurementOf = (tokens: number): StreamMeasurement => ({
  ttftMs: 1,
  totalMs: 2,
  completionTokens: tokens,
  tokensFrom: 'usage',
  tokenChunks: tokens,
  finishReason: 'stop',
});

test('warm-up per target, then lengths × runs with the targets interleaved', async () => {
  const calls: string[] = [];
  const send: SendBenchRequest = async ({ target, tokens }) => {
    calls.push(`${target.name}:${tokens}`);
    return measurementOf(tokens);
  };
  const progress: string[] = [];
  const outcome = await runStreamBench({
    targets: [gateway, direct],
    lengths: [20, 50],
    runs: 2,
    concurrency: 1,
    signal: new AbortController().signal,
    send,
    onWarmup: (target) => progress.push(`warm-up ${target.name}`),
    onRunsStart: (total) => progress.push(`runs ${total}`),
    onSample: (sample, done, total) => progress.push(`${done}/${total} ${sample.target}`),
  });
  assert.deepEqual(calls, [
    `gateway:${WARMUP_TOKENS}`,
    `direct:${WARMUP_TOKENS}`,
    'gateway:20',
    'direct:20',
    'gateway:20',
    'direct:20',
    'gateway:50',
    'direct:50',
    'gateway:50',
    'direct:50',
  ]);
  assert.equal(outcome.interrupted, false);
  assert.deepEqual(
    outcome.samples.map((sample) => [sample.target, sample.length, sample.run, sample.ok]),
    [
      ['gateway', 20, 1, true],
      ['direct', 20, 1, true],
      ['gateway', 20, 2, true],
      ['direct', 20, 2, true],
      ['gateway', 50, 1, true],
      ['direct', 50, 1, true],
      ['gateway', 50, 2, true],
      ['direct', 50, 2, true],
    ],
  );
  assert.deepEqual(progress.slice(0, 5), [
    'warm-up gateway',
    'warm-up direct',
    'runs 8',
    '1/8 gateway',
    '2/8 direct',
  ]);
});

test('a failed warm-up stops the run with a message naming the target', async () => {
  let measured = 0;
  await assert.rejects(
    runStreamBench({
      targets: [gateway, direct],
      lengths: [20],
      runs: 1,
      concurrency: 1,
      signal: new AbortController().signal,
      send: async ({ target }) => {
        if (target.name === 'direct') throw new BenchRequestError('HTTP 401 Unauthorized: bad key');
        measured += 1;
        return measurementOf(WARMUP_TOKENS);
      },
    }),
    (error: unknown) =>
      error instanceof BenchRequestError &&
      error.message === 'direct (http://d/v1): HTTP 401 Unauthorized: bad key',
  );
  assert.equal(measured, 1, 'only the gateway warm-up ran');
});

test('a failure after the warm-up is recorded and the run goes on', async () => {
  let calls = 0;
  const outcome = await runStreamBench({
    targets: [gateway],
    lengths: [10],
    runs: 3,
    concurrency: 1,
    signal: new AbortController().signal,
    send: async ({ tokens }) => {
      calls += 1;
      if (calls === 3) throw new BenchRequestError('HTTP 429 Too Many Requests');
      return measurementOf(tokens);
    },
  });
  assert.deepEqual(
    outcome.samples.map((sample) => (sample.ok ? 'ok' : sample.error)),
    ['ok', 'HTTP 429 Too Many Requests', 'ok'],
  );
});

test('never more than `concurrency` requests in flight; samples stay in plan order', async () => {
  let inFlight = 0;
  let most = 0;
  const outcome = await runStreamBench({
    targets: [gateway, direct],
    lengths: [1, 2, 3],
    runs: 2,
    concurrency: 3,
    signal: new AbortController().signal,
    send: async ({ tokens }) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      // Later requests finish first, so completion order differs from plan order.
      await new Promise((resolve) => setImmediate(resolve));
      if (tokens === 1) await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      return measurementOf(tokens);
    },
  });
  assert.equal(most, 3);
  assert.deepEqual(
    outcome.samples.map((sample) => sample.length),
    [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3],
  );
});

test('Ctrl-C stops starting requests, drops the aborted one and reports what finished', async () => {
  const interrupt = new AbortController();
  let measuredCalls = 0;
  const outcome = await runStreamBench({
    targets: [gateway],
    lengths: [10],
    runs: 5,
    concurrency: 1,
    signal: interrupt.signal,
    send: async ({ tokens, signal }) => {
      if (tokens === WARMUP_TOKENS) return measurementOf(tokens);
      measuredCalls += 1;
      if (measuredCalls === 3) {
        interrupt.abort();
        throw signal.reason;
      }
      return measurementOf(tokens);
    },
  });
  assert.equal(outcome.interrupted, true);
  assert.equal(outcome.samples.length, 2);
  assert.equal(measuredCalls, 3);
});

test('Ctrl-C during the warm-up returns no samples rather than an error', async () => {
  const interrupt = new AbortController();
  const outcome = await runStreamBench({
    targets: [gateway, direct],
    lengths: [10],
    runs: 1,
    concurrency: 1,
    signal: interrupt.signal,
    send: async ({ signal }) => {
      interrupt.abort();
      throw signal.reason;
    },
  });
  assert.deepEqual(outcome, { samples: [], interrupted: true });
});

test('a warm-up answer with no tokens (hidden reasoning took max_tokens) does not stop the run', async () => {
  const outcome = await runStreamBench({
    targets: [gateway],
    lengths: [100],
    runs: 1,
    concurrency: 1,
    signal: new AbortController().signal,
    send: async ({ tokens }) => {
      if (tokens === WARMUP_TOKENS) {
        throw new BenchRequestError('finished without any content', { noTokens: true });
      }
      return measurementOf(tokens);
    },
  });
  assert.deepEqual(
    outcome.samples.map((sample) => sample.ok),
    [true],
  );
});
