import assert from 'node:assert/strict';
import { test } from 'node:test';
import { summarizeTimings } from './request-timings.ts';

test("the gateway's overhead is its time before the first upstream call plus its chunk processing", () => {
  const summary = summarizeTimings(
    {
      acceptedAt: 100,
      upstreamSentAt: 100.4,
      attemptSentAt: 100.4,
      upstreamHeadersAt: 120,
      firstTokenAt: 121,
      firstContentAt: 121,
      endedAt: 1_121,
      chunkProcessingMs: 2.25,
    },
    500,
  );
  assert.equal(summary.gatewayOverheadMs, 2.65);
  assert.equal(summary.upstreamTimeToFirstByteMs, 19.6);
  assert.equal(summary.timeToFirstTokenMs, 21);
  assert.equal(summary.totalMs, 1_021);
  assert.equal(summary.tokensPerSecond, 500);
});

test('no upstream call, no overhead; a whole answer has no rate', () => {
  assert.equal(summarizeTimings({ acceptedAt: 5, endedAt: 9 }, 0).gatewayOverheadMs, null);
  const whole = summarizeTimings(
    { acceptedAt: 0, upstreamSentAt: 1, firstTokenAt: 50, endedAt: 50.2, answeredWhole: true },
    40,
  );
  assert.equal(whole.tokensPerSecond, null);
  assert.equal(whole.gatewayOverheadMs, 1);
});
