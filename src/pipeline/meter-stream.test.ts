import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DONE, nextOfPullStream, type PullStream } from '../canonical/pull-stream.ts';
import type { StreamEvent } from '../canonical/stream-event.ts';
import { createUsage, type Usage } from '../canonical/usage.ts';
import { loadConfig } from '../config/load-config.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import type { BillingSession, Charge, SettleOutcome } from './billing-session.ts';
import { meterStream, type StreamVerdict } from './meter-stream.ts';

const servedModel = loadConfig({ env: {} }).config.models[0] ?? assert.fail('no models');
const CHARGE: Charge = { costMicros: 1_500n, balanceMicros: 98_500n, currency: 'KRW' };
const USAGE = createUsage({ inputTokens: 12, outputTokens: 3 });
const START: StreamEvent = { type: 'response-start', id: 'r', model: 'm' };
const END: StreamEvent = { type: 'response-end', finishReason: 'stop' };

/** A session that records every settle call, and what the stream had yielded by then. */
function recordingSession(seen: StreamEvent[]) {
  const settlements: Array<{ outcome: SettleOutcome; eventsSeen: number }> = [];
  let settlement: Promise<Charge> | undefined;
  const session: BillingSession = {
    holdMicros: 10_000n,
    promptTokensEstimate: 12,
    async reserve() {},
    billFailedAttempt() {},
    settle(outcome) {
      settlements.push({ outcome, eventsSeen: seen.length });
      settlement ??= Promise.resolve(CHARGE);
      return settlement;
    },
  };
  return { session, settlements };
}

async function* source(events: StreamEvent[], failure?: unknown): AsyncGenerator<StreamEvent> {
  for (const event of events) yield event;
  if (failure !== undefined) throw failure;
}

function meter(options: {
  events: AsyncIterable<StreamEvent>;
  seen: StreamEvent[];
  deferFailureBeforeContent?: boolean;
  onDeferredUsage?: (usage: Usage) => void;
  onEndAfterCommit?: (verdict: StreamVerdict) => void;
}) {
  const { session, settlements } = recordingSession(options.seen);
  const metered = meterStream({
    ...(options.onDeferredUsage === undefined ? {} : { onDeferredUsage: options.onDeferredUsage }),
    ...(options.onEndAfterCommit === undefined
      ? {}
      : { onEndAfterCommit: options.onEndAfterCommit }),
    events: options.events,
    session,
    clock: { monotonicMs: () => 5, now: () => new Date(0) },
    timings: { acceptedAt: 0 },
    served: { servedModel, provider: 'p', upstreamModel: 'u', attempts: [] },
    deferFailureBeforeContent: options.deferFailureBeforeContent ?? true,
  });
  return { metered, settlements };
}

describe('meterStream', () => {
  test('settles once at response-end and sends the charge just before it', async () => {
    const seen: StreamEvent[] = [];
    const events = [
      START,
      { type: 'text-delta', text: 'Hi' } as const,
      { type: 'usage', usage: USAGE } as const,
      END,
    ];
    const { metered, settlements } = meter({ events: source(events), seen });
    for await (const event of metered) seen.push(event);
    assert.deepEqual(seen, [
      START,
      { type: 'text-delta', text: 'Hi' },
      { type: 'usage', usage: USAGE },
      { type: 'charge', ...CHARGE },
      END,
    ]);
    assert.equal(settlements[0]?.eventsSeen, 3);
    assert.equal(settlements[0]?.outcome.status, 'ok');
    assert.deepEqual(settlements[0]?.outcome.usage, USAGE);
    assert.equal(settlements[0]?.outcome.estimated, false);
    assert.equal(settlements[0]?.outcome.chunks, 1);
    assert.equal(settlements[0]?.outcome.timings.firstTokenAt, 5);
    // The end of the source settles again: the session returns the first result.
    assert.ok(settlements.every((entry) => entry.outcome.status === 'ok'));
  });

  test('a failure after content settles (estimated) before the consumer sees it', async () => {
    const seen: StreamEvent[] = [];
    const failure = new GatewayError('GW_ERR_UPSTREAM_STREAM_ERROR', 'cut');
    const { metered, settlements } = meter({
      events: source([START, { type: 'text-delta', text: 'Hello there' }], failure),
      seen,
    });
    await assert.rejects(
      (async () => {
        for await (const event of metered) seen.push(event);
      })(),
      (error) => error === failure && settlements.length === 1,
    );
    assert.equal(settlements[0]?.outcome.status, 'error');
    assert.equal(settlements[0]?.outcome.errorCode, 'GW_ERR_UPSTREAM_STREAM_ERROR');
    assert.equal(settlements[0]?.outcome.estimated, true);
    assert.ok((settlements[0]?.outcome.usage.outputTokens ?? 0) > 0);
    assert.deepEqual(await metered.next(), { done: true, value: undefined });
  });

  test('a failure before content is left to the caller when deferred, settled otherwise', async () => {
    const failure = new GatewayError('GW_ERR_UPSTREAM_OVERLOADED', 'busy');
    const deferred = meter({ events: source([START], failure), seen: [] });
    await assert.rejects(deferred.metered.next().then(() => deferred.metered.next()));
    assert.deepEqual(deferred.settlements, []);

    const settled = meter({
      events: source([START], failure),
      seen: [],
      deferFailureBeforeContent: false,
    });
    await settled.metered.next();
    await assert.rejects(settled.metered.next(), (error) => error === failure);
    assert.equal(settled.settlements.length, 1);
    assert.equal(settled.settlements[0]?.outcome.status, 'error');
  });

  test('a deferred failure hands over the usage the provider reported before it, if any', async () => {
    const failure = new GatewayError('GW_ERR_UPSTREAM_OVERLOADED', 'busy');
    const reported: Usage[] = [];
    const withUsage = meter({
      events: source([START, { type: 'usage', usage: USAGE }], failure),
      seen: [],
      onDeferredUsage: (usage) => reported.push(usage),
    });
    await assert.rejects(async () => {
      for await (const _ of withUsage.metered) {
      }
    });
    assert.deepEqual(reported, [USAGE]);
    assert.deepEqual(withUsage.settlements, []);

    const withoutUsage = meter({
      events: source([START], failure),
      seen: [],
      onDeferredUsage: (usage) => reported.push(usage),
    });
    await assert.rejects(async () => {
      for await (const _ of withoutUsage.metered) {
      }
    });
    assert.equal(reported.length, 1);
  });

  test("the stream's end is judged once: success, a provider's failure, or the client leaving", async () => {
    const judge = async (events: AsyncIterable<StreamEvent>, stopAfter?: number) => {
      const verdicts: string[] = [];
      const { metered } = meter({
        events,
        seen: [],
        onEndAfterCommit: (verdict) => verdicts.push(verdict.kind),
      });
      let taken = 0;
      try {
        for await (const _ of metered) {
          taken += 1;
          if (taken === stopAfter) break;
        }
      } catch {
        // the failure reaches the consumer; its verdict is what is checked
      }
      return verdicts;
    };
    const text = { type: 'text-delta', text: 'Hi' } as const;
    const busy = new GatewayError('GW_ERR_UPSTREAM_OVERLOADED', 'busy');
    assert.deepEqual(await judge(source([START, text, END])), ['success']);
    assert.deepEqual(await judge(source([START, text], busy)), ['failure']);
    assert.deepEqual(await judge(source([START, text, text, END]), 2), ['neutral']);
    const left = new GatewayError('GW_ERR_CLIENT_CLOSED', 'gone');
    assert.deepEqual(await judge(source([START, text], left)), ['neutral']);
    // Before any content a failure is the walk's to retry: not judged here.
    assert.deepEqual(await judge(source([START], busy)), []);
  });

  test('a consumer that stops early closes the source, then settles as client_closed', async () => {
    let closed = false;
    async function* endless(): AsyncGenerator<StreamEvent> {
      try {
        yield START;
        for (;;) yield { type: 'text-delta', text: 'word ' };
      } finally {
        closed = true;
      }
    }
    const seen: StreamEvent[] = [];
    const { metered, settlements } = meter({ events: endless(), seen });
    for await (const event of metered) {
      seen.push(event);
      if (seen.length === 3) break;
    }
    assert.equal(closed, true);
    assert.equal(settlements.length, 1);
    assert.equal(settlements[0]?.outcome.status, 'client_closed');
    assert.equal(settlements[0]?.outcome.chunks, 2);
    assert.equal(settlements[0]?.outcome.estimated, true);
    assert.deepEqual(await metered.return(), { done: true, value: undefined });
    assert.equal(settlements.length, 1);
  });

  test('pulled, events pass at once: only the settlement at response-end is waited for', async () => {
    const ready: StreamEvent[] = [START, { type: 'text-delta', text: 'Hi' }, END];
    const events: PullStream<StreamEvent> = {
      [Symbol.asyncIterator]() {
        return events;
      },
      takeNow() {
        const event = ready.shift();
        return event === undefined ? DONE : { done: false, value: event };
      },
      whenReady: () => Promise.resolve(),
      next() {
        return nextOfPullStream(events);
      },
      async return() {
        return DONE;
      },
    };
    const seen: StreamEvent[] = [];
    const { metered, settlements } = meter({ events, seen });
    assert.deepEqual(metered.takeNow(), { done: false, value: START });
    assert.deepEqual(metered.takeNow(), { done: false, value: { type: 'text-delta', text: 'Hi' } });
    assert.equal(metered.takeNow(), undefined, 'response-end waits for the charge');
    assert.equal(settlements.length, 1);
    await metered.whenReady();
    // The source reported no usage: the estimate it was billed comes first, then the charge.
    const estimate = metered.takeNow();
    assert.equal(estimate?.done === false && estimate.value.type, 'usage');
    assert.deepEqual(metered.takeNow(), { done: false, value: { type: 'charge', ...CHARGE } });
    assert.deepEqual(metered.takeNow(), { done: false, value: END });
    assert.equal(metered.takeNow(), undefined, 'the end of the source settles again');
    await metered.whenReady();
    assert.deepEqual(metered.takeNow(), DONE);
  });
});
