import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import OpenAI from 'openai';
import {
  attemptsOf,
  type FailoverGateway,
  SIM,
  simModel,
  startFailoverGateway,
  summarizeStream,
} from './start-failover-gateway.ts';

/**
 * Issue 4, items 5, 6 and 11: a stream commits on its first content. Before that a failure fails
 * over invisibly; after it the stream ends with an error frame and no [DONE], is never retried and
 * is billed once (estimated). While the first token is pending, `: keep-alive` comments hold the
 * connection; a failure after them can only be an SSE error frame.
 */

const KEEP_ALIVE_MS = 100;
/**
 * The `idle` model's limit on silence between chunks. undici checks it about a second late, and
 * Node timers can end early by however long a busy machine held the process up: bounds are loose.
 */
const IDLE_MS = 200;
const STALL_MS = 10_000;

describe('streams: commit on first content', () => {
  let harness: FailoverGateway;
  before(async () => {
    harness = await startFailoverGateway({
      models: [
        simModel({
          id: 'streamer',
          routes: [
            { provider: SIM, model: 'stream-a', priority: 0 },
            { provider: SIM, model: 'stream-b', priority: 1 },
          ],
          fallbacks: ['stream-rescue'],
        }),
        simModel({ id: 'stream-rescue', routes: ['stream-rescue-a'], fallbacks: [] }),
        simModel({
          id: 'idle',
          routes: [
            { provider: SIM, model: 'idle-a', priority: 0 },
            { provider: SIM, model: 'idle-b', priority: 1 },
          ],
          fallbacks: [],
          timeouts: { idleMs: IDLE_MS },
        }),
      ],
      routing: { retry: { backoffBaseMs: 5, backoffMaxMs: 20 } },
    });
  });
  beforeEach(async () => {
    harness.simulator.faults.clear();
    harness.simulator.clearRequests();
    await harness.resetAllUpstreams();
  });
  after(async () => harness.close());

  const askStream = () =>
    harness.chat({
      model: 'streamer',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: '[simulate tokens=40] tell me something' }],
    });

  for (const fault of [{ cutAfterChunks: 3 }, { errorEventAfterChunks: 3 }]) {
    test(`after content, ${JSON.stringify(fault)} ends the stream with an error, billed once`, async () => {
      harness.simulator.faults.add({ model: 'stream-a', times: 1, ...fault });
      const before = await harness.store.getBalance(harness.accountId);
      const result = await askStream();
      assert.equal(result.status, 200);
      assert.equal(result.headers.get('x-shepherd-attempts'), '1');
      const summary = summarizeStream(result.text);
      assert.equal(summary.done, false, 'a broken stream must not end with [DONE]');
      assert.ok(summary.error !== undefined, 'the stream ends with an error frame');
      assert.ok(summary.text.length > 0, 'content was delivered before the failure');
      assert.equal(harness.upstreamCalls('stream-a'), 1);
      assert.equal(harness.upstreamCalls('stream-b'), 0, 'no failover after content');
      assert.equal(harness.upstreamCalls('stream-rescue-a'), 0, 'no fallback after content');

      const row = await harness.usageRow(result.requestId);
      assert.equal(row.status, 'error');
      assert.ok(row.errorCode?.startsWith('GW_ERR_UPSTREAM'), String(row.errorCode));
      assert.equal(row.upstreamModel, 'stream-a');
      assert.equal(row.estimated, true, 'no provider usage arrived: the charge is an estimate');
      assert.ok(row.costMicros > 0n, 'delivered content is charged');
      assert.ok(row.chunks >= 1);
      assert.deepEqual(
        attemptsOf(row).map((attempt) => [attempt.deploymentId, attempt.outcome]),
        [[`${SIM}/stream-a`, 'ok']],
      );
      const afterBalance = await harness.store.getBalance(harness.accountId);
      assert.equal(before.postedMicros - afterBalance.postedMicros, row.costMicros);
      assert.equal(afterBalance.heldMicros, 0n, 'the hold was released');
      const usageEntries = (
        await harness.store.listLedgerEntries({ accountId: harness.accountId, limit: 1_000 })
      ).filter((entry) => entry.requestId === result.requestId);
      assert.equal(usageEntries.length, 1, JSON.stringify(usageEntries, replacer));
      assert.equal(await harness.store.countOpenHolds(), 0);
      assert.deepEqual(await harness.store.checkLedger(new Date()), []);
    });
  }

  for (const fault of [
    { errorEventAfterChunks: 0 },
    { cutAfterChunks: 0 },
    { status: 500 },
    { resetConnection: true },
  ]) {
    test(`before content, ${JSON.stringify(fault)} fails over invisibly`, async () => {
      harness.simulator.faults.add({ model: 'stream-a', times: 1, ...fault });
      const result = await askStream();
      assert.equal(result.status, 200, result.text);
      assert.equal(result.headers.get('x-shepherd-attempts'), '2');
      assert.equal(result.headers.get('x-shepherd-fallback'), 'false');
      const summary = summarizeStream(result.text);
      assert.ok(summary.done);
      assert.equal(summary.error, undefined);
      assert.match(summary.text, /^Simulated reply from .*\(model stream-b\)/);

      const row = await harness.usageRow(result.requestId);
      assert.equal(row.status, 'ok');
      assert.equal(row.estimated, false);
      assert.equal(row.upstreamModel, 'stream-b');
      assert.deepEqual(
        attemptsOf(row).map((attempt) => [attempt.deploymentId, attempt.outcome]),
        [
          [`${SIM}/stream-a`, 'error'],
          [`${SIM}/stream-b`, 'ok'],
        ],
      );
      assert.equal(await harness.store.countOpenHolds(), 0);
    });
  }

  test('a stream that opens but goes silent before its first token fails over', async () => {
    harness.simulator.faults.add({
      model: 'idle-a',
      stallAfterChunks: 0,
      stallMs: STALL_MS,
      times: 1,
    });
    const result = await harness.chat({
      model: 'idle',
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    assert.equal(result.status, 200, result.text);
    assert.ok(result.elapsedMs >= IDLE_MS / 2, `took ${result.elapsedMs} ms`);
    assert.ok(result.elapsedMs < STALL_MS / 2, `took ${result.elapsedMs} ms`);
    const summary = summarizeStream(result.text);
    assert.ok(summary.done);
    assert.match(summary.text, /\(model idle-b\)/);
    assert.deepEqual(
      attemptsOf(await harness.usageRow(result.requestId)).map((attempt) => [
        attempt.deploymentId,
        attempt.errorCode,
      ]),
      [
        [`${SIM}/idle-a`, 'GW_ERR_UPSTREAM_TIMEOUT'],
        [`${SIM}/idle-b`, null],
      ],
    );
  });

  test('a stream that goes silent after content ends with an error, no failover', async () => {
    harness.simulator.faults.add({
      model: 'idle-a',
      stallAfterChunks: 3,
      stallMs: STALL_MS,
      times: 1,
    });
    const result = await harness.chat({
      model: 'idle',
      stream: true,
      messages: [{ role: 'user', content: '[simulate tokens=40] go' }],
    });
    assert.equal(result.status, 200);
    assert.ok(result.elapsedMs < STALL_MS / 2, `took ${result.elapsedMs} ms`);
    const summary = summarizeStream(result.text);
    assert.equal(summary.done, false);
    assert.equal(summary.error?.code, 'upstream_timeout');
    assert.ok(summary.text.length > 0);
    assert.equal(harness.upstreamCalls('idle-b'), 0);
    const row = await harness.usageRow(result.requestId);
    assert.equal(row.status, 'error');
    assert.equal(row.errorCode, 'GW_ERR_UPSTREAM_TIMEOUT');
    assert.equal(row.estimated, true);
    assert.equal(await harness.store.countOpenHolds(), 0);
  });

  test('every deployment failing before content: the fallback model streams', async () => {
    harness.simulator.faults.add({ model: 'stream-a', errorEventAfterChunks: 0, times: 1 });
    harness.simulator.faults.add({ model: 'stream-b', cutAfterChunks: 0, times: 1 });
    const result = await askStream();
    assert.equal(result.status, 200, result.text);
    assert.equal(result.headers.get('x-shepherd-model'), 'stream-rescue');
    assert.equal(result.headers.get('x-shepherd-fallback'), 'true');
    assert.equal(result.headers.get('x-shepherd-attempts'), '3');
    const summary = summarizeStream(result.text);
    assert.ok(summary.done);
    assert.match(summary.text, /\(model stream-rescue-a\)/);
    const row = await harness.usageRow(result.requestId);
    assert.equal(row.servedModel, 'stream-rescue');
    assert.equal(attemptsOf(row).length, 3);
  });
});

describe('streams: keep-alive while the first token is pending', () => {
  let harness: FailoverGateway;
  before(async () => {
    harness = await startFailoverGateway({
      models: [
        simModel({ id: 'slow', routes: ['slow-a'], fallbacks: [] }),
        simModel({
          id: 'slow-pair',
          routes: [
            { provider: SIM, model: 'slow-x', priority: 0 },
            { provider: SIM, model: 'slow-y', priority: 1 },
          ],
          fallbacks: [],
        }),
      ],
      routing: {
        streamKeepAliveMs: KEEP_ALIVE_MS,
        retry: { maxAttempts: 2, backoffBaseMs: 5, backoffMaxMs: 20 },
      },
    });
  });
  beforeEach(async () => {
    harness.simulator.faults.clear();
    harness.simulator.clearRequests();
    await harness.resetAllUpstreams();
  });
  after(async () => harness.close());

  const askSlow = (model: string) =>
    harness.chat({ model, stream: true, messages: [{ role: 'user', content: 'hi' }] });

  test('keep-alive comments precede the first data frame of a slow stream', async () => {
    harness.simulator.faults.add({ model: 'slow-a', stallMs: 8 * KEEP_ALIVE_MS, times: 1 });
    const result = await askSlow('slow');
    assert.equal(result.status, 200);
    assert.match(result.headers.get('content-type') ?? '', /^text\/event-stream/);
    const summary = summarizeStream(result.text);
    // One every interval (about seven); two at least even if the event loop was held up.
    assert.ok(summary.keepAlivesBeforeData >= 2, `${summary.keepAlivesBeforeData} keep-alives`);
    assert.ok(summary.done);
    assert.match(summary.text, /\(model slow-a\)/);
    const row = await harness.usageRow(result.requestId);
    assert.equal(row.status, 'ok');
    assert.equal(row.estimated, false);
  });

  test('a stream with no delay sends no keep-alive', async () => {
    const result = await askSlow('slow');
    assert.equal(result.status, 200);
    assert.equal(result.headers.get('x-shepherd-attempts'), '1');
    const summary = summarizeStream(result.text);
    assert.equal(summary.keepAlivesBeforeData, 0);
    assert.ok(summary.done);
  });

  test('the openai SDK reads a stream that began with keep-alives', async () => {
    harness.simulator.faults.add({ model: 'slow-a', stallMs: 350, times: 1 });
    const client = new OpenAI({ apiKey: harness.apiKey, baseURL: harness.baseUrl, maxRetries: 0 });
    const stream = await client.chat.completions.create({
      model: 'slow',
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    let text = '';
    let finishReason: string | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finishReason = chunk.choices[0]?.finish_reason ?? finishReason;
    }
    assert.match(text, /^Simulated reply from .*\(model slow-a\)/);
    assert.equal(finishReason, 'stop');
  });

  test('a failover during keep-alives is invisible to the client', async () => {
    harness.simulator.faults.add({ model: 'slow-x', stallMs: 300, status: 503, times: 1 });
    const result = await askSlow('slow-pair');
    assert.equal(result.status, 200);
    const summary = summarizeStream(result.text);
    assert.ok(summary.keepAlivesBeforeData >= 1);
    assert.ok(summary.done);
    assert.equal(summary.error, undefined);
    assert.match(summary.text, /\(model slow-y\)/);
    const attempts = attemptsOf(await harness.usageRow(result.requestId));
    assert.deepEqual(
      attempts.map((attempt) => [attempt.deploymentId, attempt.upstreamStatus]),
      [
        [`${SIM}/slow-x`, 503],
        [`${SIM}/slow-y`, null],
      ],
    );
  });

  for (const { status, attempts, code } of [
    { status: 400, attempts: 1, code: 'upstream_bad_request' },
    { status: 503, attempts: 2, code: 'upstream_overloaded' },
  ]) {
    test(`a ${status} after keep-alives is an SSE error frame without [DONE]`, async () => {
      harness.simulator.faults.add({ model: 'slow-a', stallMs: 250, status });
      const result = await askSlow('slow');
      assert.equal(result.status, 200, 'the status was committed by the keep-alives');
      const summary = summarizeStream(result.text);
      assert.ok(summary.keepAlivesBeforeData >= 1);
      assert.equal(summary.done, false);
      assert.equal(summary.text, '');
      assert.equal(summary.error?.code, code);
      assert.equal(harness.upstreamCalls('slow-a'), attempts);
      const row = await harness.usageRow(result.requestId);
      assert.equal(row.status, 'error');
      assert.equal(row.costMicros, 0n);
      assert.equal(attemptsOf(row).length, attempts);
      assert.equal(await harness.store.countOpenHolds(), 0);
      assert.deepEqual(await harness.store.checkLedger(new Date()), []);
    });
  }
});

function replacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
