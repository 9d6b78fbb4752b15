import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRateLimiter } from './create-rate-limiter.ts';

function setup(maxKeys = 100) {
  let now = 1_000_000;
  const limiter = createRateLimiter({
    maxEvents: 5,
    windowMs: 15 * 60_000,
    maxKeys,
    nowMs: () => now,
  });
  return { limiter, advance: (ms: number) => (now += ms) };
}

test('the sixth attempt within 15 minutes is refused until the oldest failure ages out', () => {
  const { limiter, advance } = setup();
  for (let failure = 0; failure < 5; failure += 1) {
    assert.equal(limiter.retryAfterSeconds('a|ip'), 0);
    limiter.record('a|ip');
    advance(60_000);
  }
  // Failures at 0..4 minutes, now at 5: the first leaves the window at 15 minutes.
  assert.equal(limiter.retryAfterSeconds('a|ip'), 600);
  assert.equal(limiter.retryAfterSeconds('a|other-ip'), 0, 'keys are independent');
  advance(600_000 - 1);
  assert.equal(limiter.retryAfterSeconds('a|ip'), 1);
  advance(1);
  assert.equal(limiter.retryAfterSeconds('a|ip'), 0);
});

test('a success resets the count', () => {
  const { limiter } = setup();
  for (let failure = 0; failure < 5; failure += 1) limiter.record('b|ip');
  assert.ok(limiter.retryAfterSeconds('b|ip') > 0);
  limiter.reset('b|ip');
  assert.equal(limiter.retryAfterSeconds('b|ip'), 0);
});

test('the least recently failed keys are forgotten beyond maxKeys', () => {
  const { limiter } = setup(2);
  for (const key of ['k1', 'k2', 'k3']) {
    for (let failure = 0; failure < 5; failure += 1) limiter.record(key);
  }
  assert.equal(limiter.retryAfterSeconds('k1'), 0);
  assert.ok(limiter.retryAfterSeconds('k2') > 0);
  assert.ok(limiter.retryAfterSeconds('k3') > 0);
});
