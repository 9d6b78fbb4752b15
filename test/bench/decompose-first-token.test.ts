import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decomposeFirstToken,
  medianSegments,
  slowestSegments,
  type TraceEvent,
} from '../../bench/measure/decompose-first-token.ts';

const event = (kind: TraceEvent['kind'], atMicros: number): TraceEvent => ({ kind, atMicros });

/**
 * One request as a pass-through proxy traces it: the client writes headers then body, the target
 * gets the request and writes its upstream request in two writes, the upstream's headers come
 * first (no content) and its first content later, which the client then reads.
 */
function oneRequest(startMicros: number, contentDelayMicros: number) {
  const s = startMicros;
  return {
    client: [
      event('send', s),
      event('send', s + 5),
      event('receive', s + 20_300),
      event('receive-content', s + 21_400 + contentDelayMicros),
      event('receive', s + 25_000),
    ],
    target: [
      event('request', s + 100),
      event('send', s + 300),
      event('send', s + 302),
      event('receive', s + 20_200),
      event('receive-content', s + 21_300 + contentDelayMicros),
      event('receive', s + 24_900),
    ],
  };
}

test('each request is split at the moments it crosses the client, the target and the upstream', () => {
  const first = oneRequest(1_000_000, 0);
  const second = oneRequest(1_030_000, 50);
  const segments = decomposeFirstToken({
    client: [...first.client, ...second.client],
    target: [...first.target, ...second.target],
    fromMicros: 0,
    toMicros: 2_000_000,
  });
  assert.deepEqual(segments, [
    {
      clientToTarget: 100,
      targetBeforeUpstream: 200,
      upstream: 21_000,
      targetAfterUpstream: 100,
      total: 21_400,
      targetGc: 0,
    },
    {
      clientToTarget: 100,
      targetBeforeUpstream: 200,
      upstream: 21_050,
      targetAfterUpstream: 100,
      total: 21_450,
      targetGc: 0,
    },
  ]);
  assert.deepEqual(medianSegments(segments), {
    clientToTarget: 100,
    targetBeforeUpstream: 200,
    upstream: 21_025,
    targetAfterUpstream: 100,
    total: 21_425,
    targetGc: 0,
  });
});

test('events outside the window and requests missing a moment are left out', () => {
  const before = oneRequest(500_000, 0);
  const kept = oneRequest(1_000_000, 0);
  const failed = oneRequest(1_030_000, 0);
  const segments = decomposeFirstToken({
    client: [
      ...before.client,
      ...kept.client,
      // The failed request's client never read any content.
      ...failed.client.filter((entry) => entry.kind !== 'receive-content'),
    ],
    target: [...before.target, ...kept.target, ...failed.target],
    fromMicros: 900_000,
    toMicros: 2_000_000,
  });
  assert.equal(segments.length, 1);
  assert.equal(segments[0]?.total, 21_400);
});

test('a target whose first content comes after the client read one is not matched to it', () => {
  const { client, target } = oneRequest(1_000_000, 0);
  const late = target.map((entry) =>
    entry.kind === 'receive-content' ? event('receive-content', entry.atMicros + 500) : entry,
  );
  assert.deepEqual(
    decomposeFirstToken({ client, target: late, fromMicros: 0, toMicros: 2_000_000 }),
    [],
  );
});

test('the slowest requests are the ones with the largest total, however their segments split', () => {
  const request = (upstream: number, targetBeforeUpstream: number) => ({
    clientToTarget: 100,
    targetBeforeUpstream,
    upstream,
    targetAfterUpstream: 100,
    total: 200 + targetBeforeUpstream + upstream,
    targetGc: 0,
  });
  // Ten requests; the slowest two by total waited in the target, not upstream.
  const segments = [
    ...Array.from({ length: 8 }, (_, index) => request(21_000 + index * 100, 200)),
    request(21_000, 3_000),
    request(21_000, 2_600),
  ];
  assert.deepEqual(slowestSegments(segments, 0.2), {
    clientToTarget: 100,
    targetBeforeUpstream: 2_800,
    upstream: 21_000,
    targetAfterUpstream: 100,
    total: 24_000,
    targetGc: 0,
  });
  // A share too small for one request still takes the slowest.
  assert.equal(slowestSegments(segments, 0.01).targetBeforeUpstream, 3_000);
});

test("the target's garbage collections are counted where they overlap its part of a request", () => {
  const { client, target } = oneRequest(1_000_000, 0);
  const [segment] = decomposeFirstToken({
    client,
    target,
    fromMicros: 0,
    toMicros: 2_000_000,
    targetGc: [
      // Before the client sent the request (at 1_000_000): not counted.
      { atMicros: 998_000, durationMicros: 1_000 },
      // Straddles the client's request: only its last 50 µs count.
      { atMicros: 999_900, durationMicros: 150 },
      // Inside: all of it.
      { atMicros: 1_010_000, durationMicros: 700 },
      // Straddles the client's read of the first content (at 1_021_400): its first 100 µs.
      { atMicros: 1_021_300, durationMicros: 400 },
    ],
  });
  assert.equal(segment?.targetGc, 850);
});
