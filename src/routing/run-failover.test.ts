import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GatewayError } from '../errors/gateway-error.ts';
import { CandidateUnusableError } from './candidate-unusable-error.ts';
import { DEFAULT_CIRCUIT_BREAKER_POLICY } from './circuit-breaker-defaults.ts';
import { createDeploymentHealth } from './create-deployment-health.ts';
import type { Deployment } from './deployment.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.ts';
import { type FailoverOptions, runFailover } from './run-failover.ts';

function deployment(id: string, modelId = 'm'): Deployment {
  const [provider = id, upstreamModel = id] = id.split('/');
  return { id, modelId, provider, upstreamModel, weight: 1, priority: 0 };
}

/** A virtual clock: sleeping advances it, so waits are asserted without real time passing. */
function harness(options: {
  candidates: Deployment[];
  outcomes: Record<string, (GatewayError | 'ok' | 'unusable')[]>;
  policy?: Partial<RetryPolicy>;
}) {
  let now = 1_000;
  const sleeps: number[] = [];
  const calls: string[] = [];
  const health = createDeploymentHealth({
    policy: DEFAULT_CIRCUIT_BREAKER_POLICY,
    wallClock: () => 0,
  });
  health.register(options.candidates);
  const controller = new AbortController();
  const run = (overrides: Partial<FailoverOptions<string>> = {}) =>
    runFailover<string>({
      candidates: options.candidates,
      policy: { ...DEFAULT_RETRY_POLICY, ...options.policy },
      health,
      monotonicMs: () => now,
      acceptedAtMs: now,
      random: () => 0.5,
      sleep: async (ms) => {
        sleeps.push(ms);
        now += ms;
      },
      signal: controller.signal,
      attempt: async (target) => {
        calls.push(target.id);
        now += 10;
        const next = options.outcomes[target.id]?.shift() ?? 'ok';
        if (next === 'ok') return `served by ${target.id}`;
        if (next === 'unusable') {
          throw new CandidateUnusableError(
            new GatewayError('GW_ERR_UNSUPPORTED_PARAMETER', 'no such parameter'),
          );
        }
        throw next;
      },
      ...overrides,
    });
  return { run, calls, sleeps, health, controller, now: () => now };
}

const upstream = (status: number, retryAfterSeconds?: number) => {
  const code =
    status === 429
      ? 'GW_ERR_UPSTREAM_RATE_LIMITED'
      : status === 401
        ? 'GW_ERR_UPSTREAM_AUTH'
        : status === 400
          ? 'GW_ERR_UPSTREAM_BAD_REQUEST'
          : 'GW_ERR_UPSTREAM_SERVER_ERROR';
  return new GatewayError(code, `upstream ${status}`, {
    upstreamStatus: status,
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
  });
};

describe('runFailover', () => {
  test('the first healthy candidate answers with one attempt', async () => {
    const h = harness({ candidates: [deployment('a/x'), deployment('b/x')], outcomes: {} });
    const result = await h.run();
    assert.ok(result.ok);
    assert.equal(result.value, 'served by a/x');
    assert.deepEqual(h.calls, ['a/x']);
    assert.equal(result.attempts.length, 1);
    assert.equal(result.attempts[0]?.outcome, 'ok');
  });

  test('a transient failure moves on to the next candidate at once, recording both attempts', async () => {
    const h = harness({
      candidates: [deployment('a/x'), deployment('b/y', 'fallback')],
      outcomes: { 'a/x': [upstream(503)] },
    });
    const result = await h.run();
    assert.ok(result.ok);
    assert.deepEqual(h.calls, ['a/x', 'b/y']);
    assert.deepEqual(h.sleeps, [], 'a different deployment is tried without backoff');
    assert.deepEqual(
      result.attempts.map((attempt) => [
        attempt.deploymentId,
        attempt.outcome,
        attempt.upstreamStatus,
      ]),
      [
        ['a/x', 'error', 503],
        ['b/y', 'ok', null],
      ],
    );
    assert.equal(result.attempts[1]?.modelId, 'fallback');
  });

  test('a deployment that timed out is not tried again in the request; another one serves', async () => {
    const timeout = () => new GatewayError('GW_ERR_UPSTREAM_TIMEOUT', 'no answer within 30 s');
    const h = harness({
      candidates: [deployment('a/x'), deployment('b/y', 'fallback')],
      outcomes: { 'a/x': [timeout()], 'b/y': [upstream(500)] },
    });
    const result = await h.run();
    assert.ok(result.ok);
    assert.deepEqual(h.calls, ['a/x', 'b/y', 'b/y']);

    const lone = harness({ candidates: [deployment('a/x')], outcomes: { 'a/x': [timeout()] } });
    const alone = await lone.run();
    assert.equal(alone.ok, false);
    assert.deepEqual(lone.calls, ['a/x'], 'a silent route is not waited for twice');
  });

  test('a lone deployment is retried after its jittered backoff', async () => {
    const h = harness({
      candidates: [deployment('a/x')],
      outcomes: { 'a/x': [upstream(500), upstream(500)] },
      policy: { backoffBaseMs: 100, backoffMaxMs: 2_000 },
    });
    const result = await h.run();
    assert.ok(result.ok);
    assert.equal(h.calls.length, 3);
    // random() = 0.5: half of 100 · 2⁰, then half of 100 · 2¹.
    assert.deepEqual(h.sleeps, [50, 100]);
  });

  test('Retry-After is waited for when it fits, and rules the deployment out when it does not', async () => {
    const fits = harness({
      candidates: [deployment('a/x')],
      outcomes: { 'a/x': [upstream(429, 2)] },
    });
    const served = await fits.run();
    assert.ok(served.ok);
    assert.deepEqual(fits.sleeps, [2_000]);

    const tooLong = harness({
      candidates: [deployment('a/x')],
      outcomes: { 'a/x': [upstream(429, 60)] },
      policy: { maxRetryWaitMs: 10_000 },
    });
    const refused = await tooLong.run();
    assert.equal(refused.ok, false);
    assert.deepEqual(tooLong.sleeps, []);
    assert.equal(tooLong.calls.length, 1);
    if (!refused.ok) assert.equal(refused.error.code, 'GW_ERR_UPSTREAM_RATE_LIMITED');
  });

  test('a timer that wakes early does not drop the retry it was waiting for', async () => {
    const h = harness({ candidates: [deployment('a/x')], outcomes: { 'a/x': [upstream(429, 2)] } });
    let clock = 0;
    const result = await h.run({
      monotonicMs: () => h.now() + clock,
      // Node timers count from the loop's cached time and often fire just before the target.
      sleep: async (ms) => {
        h.sleeps.push(ms);
        clock += ms > 1 ? ms - 1 : ms;
      },
    });
    assert.ok(result.ok, 'the deployment is retried once its Retry-After has passed');
    assert.deepEqual(h.calls, ['a/x', 'a/x']);
    assert.deepEqual(h.sleeps, [2_000, 1]);
  });

  test('non-retryable errors stop the walk after one attempt', async () => {
    const h = harness({
      candidates: [deployment('a/x'), deployment('b/x')],
      outcomes: { 'a/x': [upstream(400)] },
    });
    const result = await h.run();
    assert.equal(result.ok, false);
    assert.deepEqual(h.calls, ['a/x']);
    if (!result.ok) assert.equal(result.error.code, 'GW_ERR_UPSTREAM_BAD_REQUEST');
  });

  test('a broken credential disables that deployment; another one serves', async () => {
    const h = harness({
      candidates: [deployment('a/x'), deployment('b/x')],
      outcomes: { 'a/x': [upstream(401)] },
    });
    const result = await h.run();
    assert.ok(result.ok);
    assert.deepEqual(h.calls, ['a/x', 'b/x']);
    assert.equal(h.health.stateOf('a/x'), 'disabled');
    const again = await h.run();
    assert.ok(again.ok);
    assert.deepEqual(h.calls, ['a/x', 'b/x', 'b/x'], 'the disabled deployment is not tried again');
  });

  test('the attempt cap bounds the walk, and the last error is returned', async () => {
    const h = harness({
      candidates: [deployment('a/x'), deployment('b/x'), deployment('c/x')],
      outcomes: { 'a/x': [upstream(500)], 'b/x': [upstream(502)], 'c/x': [upstream(503)] },
      policy: { maxAttempts: 2 },
    });
    const result = await h.run();
    assert.equal(result.ok, false);
    assert.deepEqual(h.calls, ['a/x', 'b/x']);
    assert.equal(result.attempts.length, 2);
    if (!result.ok) assert.equal(result.error.upstreamStatus, 502);
  });

  test('no attempt starts once the budget is spent', async () => {
    const h = harness({
      candidates: [deployment('a/x')],
      outcomes: { 'a/x': [upstream(500), upstream(500)] },
      policy: { budgetMs: 30, backoffBaseMs: 100 },
    });
    const result = await h.run();
    assert.equal(result.ok, false);
    assert.equal(h.calls.length, 1, 'the backoff would end beyond the budget');
  });

  test('an unusable candidate is skipped without counting an attempt', async () => {
    const h = harness({
      candidates: [deployment('a/x'), deployment('b/y', 'fallback'), deployment('c/z', 'other')],
      outcomes: { 'a/x': [upstream(503)], 'b/y': ['unusable'] },
    });
    const result = await h.run();
    assert.ok(result.ok);
    assert.deepEqual(
      result.attempts.map((attempt) => attempt.deploymentId),
      ['a/x', 'c/z'],
    );
  });

  test('the client leaving stops the walk as client_closed', async () => {
    const h = harness({
      candidates: [deployment('a/x'), deployment('b/x')],
      outcomes: { 'a/x': [upstream(503)] },
    });
    const result = await h.run({
      attempt: async (target) => {
        h.calls.push(target.id);
        h.controller.abort(new Error('gone'));
        throw upstream(503);
      },
    });
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.error.code, 'GW_ERR_CLIENT_CLOSED');
    assert.deepEqual(h.calls, ['a/x']);
    assert.equal(result.attempts[0]?.outcome, 'client_closed');
  });

  test('with every breaker open the first candidate is still tried rather than refusing', async () => {
    const h = harness({ candidates: [deployment('a/x')], outcomes: {} });
    for (
      let failure = 0;
      failure < DEFAULT_CIRCUIT_BREAKER_POLICY.consecutiveFailures;
      failure += 1
    ) {
      assert.ok(h.health.tryAcquire('a/x', h.now()));
      h.health.record('a/x', { kind: 'transient' }, h.now());
    }
    assert.equal(h.health.stateOf('a/x'), 'open');
    const result = await h.run();
    assert.ok(result.ok);
    assert.deepEqual(h.calls, ['a/x']);
  });

  test('an open breaker is skipped when a healthy candidate exists', async () => {
    const h = harness({ candidates: [deployment('a/x'), deployment('b/x')], outcomes: {} });
    for (
      let failure = 0;
      failure < DEFAULT_CIRCUIT_BREAKER_POLICY.consecutiveFailures;
      failure += 1
    ) {
      h.health.tryAcquire('a/x', h.now());
      h.health.record('a/x', { kind: 'transient' }, h.now());
    }
    const result = await h.run();
    assert.ok(result.ok);
    assert.deepEqual(h.calls, ['b/x']);
  });
});
