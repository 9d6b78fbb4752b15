import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import * as z from 'zod';
import { DEFAULT_RETRY_POLICY } from '../../src/routing/retry-policy.ts';
import {
  attemptsOf,
  type FailoverGateway,
  runPool,
  SIM,
  simModel,
  startFailoverGateway,
  type UpstreamView,
  waitFor,
} from './start-failover-gateway.ts';

/**
 * Issue 4, item 10: a deployment that keeps failing is taken out of rotation (the simulator sees no
 * more requests for it), one probe is let through after the cooldown, and a successful probe puts
 * it back; the state shows in /admin/api/upstreams and /readyz.
 */

const CONSECUTIVE_FAILURES = 3;
/** Long enough for a burst of requests to finish inside it on a busy machine. */
const COOLDOWN_MS = 1_000;
const PRIMARY = `${SIM}/cb-primary`;

const readinessSchema = z.looseObject({
  status: z.literal('ready'),
  upstreams: z.strictObject({
    available: z.number(),
    total: z.number(),
    deployments: z.array(
      // The last error is the admin API's to show: /readyz answers without credentials.
      z.looseObject({ id: z.string(), state: z.string(), lastError: z.never().optional() }),
    ),
  }),
});

describe('circuit breakers', () => {
  let harness: FailoverGateway;
  before(async () => {
    harness = await startFailoverGateway({
      models: [
        simModel({ id: 'guarded', routes: ['cb-primary'], fallbacks: ['backup'] }),
        simModel({ id: 'backup', routes: ['cb-backup'], fallbacks: [] }),
        simModel({ id: 'lonely', routes: ['cb-lonely'], fallbacks: [] }),
        simModel({
          id: 'duo',
          routes: [
            { provider: SIM, model: 'duo-a', weight: 1 },
            { provider: SIM, model: 'duo-b', weight: 1 },
          ],
          fallbacks: [],
        }),
      ],
      routing: {
        retry: { backoffBaseMs: 5, backoffMaxMs: 20 },
        circuitBreaker: {
          consecutiveFailures: CONSECUTIVE_FAILURES,
          cooldownMs: COOLDOWN_MS,
          maxCooldownMs: 10 * COOLDOWN_MS,
        },
      },
    });
  });
  beforeEach(async () => {
    harness.simulator.faults.clear();
    harness.simulator.clearRequests();
    await harness.resetAllUpstreams();
  });
  after(async () => harness.close());

  const ask = (model: string, index = 0) =>
    harness.chat({
      model,
      stream: index % 2 === 1,
      messages: [{ role: 'user', content: `[simulate tokens=5] ${index}` }],
    });

  async function readiness() {
    const response = await fetch(`${harness.origin}/readyz`);
    assert.equal(response.status, 200, 'tripped upstreams do not make the gateway unready');
    return readinessSchema.parse(await response.json());
  }

  /** Sends requests until the primary's breaker opened; returns its view then. */
  async function tripPrimary(): Promise<UpstreamView> {
    harness.simulator.faults.add({ model: 'cb-primary', status: 500 });
    for (let index = 0; index < CONSECUTIVE_FAILURES; index += 1) {
      const result = await ask('guarded', index);
      assert.equal(result.status, 200, result.text);
      assert.equal(result.headers.get('x-shepherd-model'), 'backup');
      assert.equal(result.headers.get('x-shepherd-attempts'), '2');
    }
    const view = await harness.upstream(PRIMARY);
    assert.equal(view.state, 'open');
    assert.equal(view.consecutiveFailures, CONSECUTIVE_FAILURES);
    assert.ok(view.lastError !== null && view.lastError.length > 0);
    assert.ok(view.retryAtMs !== null);
    return view;
  }

  /** Waits until the wall clock passed `epochMs` (re-checked: a timer may wake early). */
  async function waitUntilWallClock(epochMs: number): Promise<void> {
    assert.ok(epochMs - Date.now() < 5 * COOLDOWN_MS, 'a wait longer than expected');
    while (Date.now() <= epochMs + 20) await delay(Math.max(1, epochMs + 21 - Date.now()));
  }

  test('opens after consecutive failures, skips the deployment, recovers by a probe', async () => {
    const opened = await tripPrimary();
    assert.equal(harness.upstreamCalls('cb-primary'), CONSECUTIVE_FAILURES);
    const ready = await readiness();
    const entry = ready.upstreams.deployments.find((deployment) => deployment.id === PRIMARY);
    assert.equal(entry?.state, 'open');
    assert.equal(ready.upstreams.available, ready.upstreams.total - 1);

    // Open: the deployment is skipped outright, no attempt is spent on it.
    const skipped = await runPool(4, 4, (index) => ask('guarded', index));
    for (const result of skipped) {
      assert.equal(result.status, 200, result.text);
      assert.equal(result.headers.get('x-shepherd-model'), 'backup');
      assert.equal(result.headers.get('x-shepherd-attempts'), '1');
    }
    assert.equal(
      harness.upstreamCalls('cb-primary'),
      CONSECUTIVE_FAILURES,
      'no traffic while open',
    );
    assert.ok(Date.now() < (opened.retryAtMs ?? 0), 'the skipped requests ran within the cooldown');

    harness.simulator.faults.clear();
    await waitUntilWallClock(opened.retryAtMs ?? 0);
    const probe = await ask('guarded');
    assert.equal(probe.status, 200, probe.text);
    assert.equal(probe.headers.get('x-shepherd-model'), 'guarded', 'the probe served');
    assert.equal(probe.headers.get('x-shepherd-attempts'), '1');
    const closed = await harness.upstream(PRIMARY);
    assert.equal(closed.state, 'closed');
    assert.equal(closed.consecutiveFailures, 0);
    for (let index = 0; index < 4; index += 1) {
      const result = await ask('guarded', index);
      assert.equal(result.headers.get('x-shepherd-model'), 'guarded');
    }
    assert.equal(harness.upstreamCalls('cb-primary'), CONSECUTIVE_FAILURES + 5);
    const readyAgain = await readiness();
    assert.equal(readyAgain.upstreams.available, readyAgain.upstreams.total);
  });

  test('a failed probe reopens the breaker for twice as long', async () => {
    const opened = await tripPrimary();
    await waitUntilWallClock(opened.retryAtMs ?? 0);
    const probe = await ask('guarded');
    assert.equal(probe.status, 200, probe.text);
    assert.equal(probe.headers.get('x-shepherd-model'), 'backup');
    assert.equal(probe.headers.get('x-shepherd-attempts'), '2');
    assert.equal(
      attemptsOf(await harness.usageRow(probe.requestId))[0]?.deploymentId,
      PRIMARY,
      'the probe went to the primary first',
    );
    const reopened = await harness.upstream(PRIMARY);
    assert.equal(reopened.state, 'open');
    assert.ok(reopened.retryAtMs !== null && reopened.lastChangeAtMs !== null);
    const cooldown = reopened.retryAtMs - reopened.lastChangeAtMs;
    assert.ok(Math.abs(cooldown - 2 * COOLDOWN_MS) <= 2, `cooldown ${cooldown} ms`);
    assert.equal(harness.upstreamCalls('cb-primary'), CONSECUTIVE_FAILURES + 1);
  });

  test('half-open admits exactly one probe while other requests go elsewhere', async () => {
    const opened = await tripPrimary();
    harness.simulator.faults.clear();
    // The probe answers slowly, so the other requests arrive while it is in flight.
    harness.simulator.faults.add({ model: 'cb-primary', stallMs: 1_500, times: 1 });
    await waitUntilWallClock(opened.retryAtMs ?? 0);
    const probe = ask('guarded');
    await waitFor(
      () => harness.upstreamCalls('cb-primary') === CONSECUTIVE_FAILURES + 1,
      'the probe reached the primary',
    );
    assert.equal((await harness.upstream(PRIMARY)).state, 'half_open');
    const others = await runPool(6, 6, (index) => ask('guarded', index));
    for (const result of others) {
      assert.equal(result.status, 200, result.text);
      assert.equal(result.headers.get('x-shepherd-model'), 'backup');
      assert.equal(result.headers.get('x-shepherd-attempts'), '1');
    }
    const probed = await probe;
    assert.equal(probed.headers.get('x-shepherd-model'), 'guarded');
    assert.equal(harness.upstreamCalls('cb-primary'), CONSECUTIVE_FAILURES + 1);
    assert.equal((await harness.upstream(PRIMARY)).state, 'closed');
  });

  test('an open deployment of a balanced pair sheds its share to its twin, then takes it back', async () => {
    harness.simulator.faults.add({ model: 'duo-a', status: 503 });
    for (let index = 0; index < 10; index += 1) {
      const result = await ask('duo', index);
      assert.equal(result.status, 200, result.text);
      assert.equal((await harness.usageRow(result.requestId)).upstreamModel, 'duo-b');
    }
    const opened = await harness.upstream(`${SIM}/duo-a`);
    assert.equal(opened.state, 'open');
    assert.equal(harness.upstreamCalls('duo-a'), CONSECUTIVE_FAILURES);
    harness.simulator.faults.clear();
    await waitUntilWallClock(opened.retryAtMs ?? 0);
    harness.simulator.clearRequests();
    await runPool(20, 1, (index) => ask('duo', index));
    assert.equal((await harness.upstream(`${SIM}/duo-a`)).state, 'closed');
    // Back in rotation: its share returns (the picker may favour it briefly to catch up).
    assert.ok(harness.upstreamCalls('duo-a') >= 10, `duo-a got ${harness.upstreamCalls('duo-a')}`);
    assert.equal(harness.upstreamCalls('duo-a') + harness.upstreamCalls('duo-b'), 20);
  });

  test('with nothing else to try, an open deployment is still tried rather than refused', async () => {
    harness.simulator.faults.add({ model: 'cb-lonely', status: 500 });
    const failed = await ask('lonely');
    assert.equal(failed.status, 502, failed.text);
    // Three attempts (the default cap) are also three consecutive failures: the breaker opens.
    assert.equal(
      failed.headers.get('x-shepherd-attempts'),
      String(DEFAULT_RETRY_POLICY.maxAttempts),
    );
    assert.ok(DEFAULT_RETRY_POLICY.maxAttempts >= CONSECUTIVE_FAILURES);
    assert.equal((await harness.upstream(`${SIM}/cb-lonely`)).state, 'open');
    harness.simulator.faults.clear();
    const served = await ask('lonely');
    assert.equal(served.status, 200, served.text);
    assert.equal(served.headers.get('x-shepherd-attempts'), '1');
    assert.equal(harness.upstreamCalls('cb-lonely'), DEFAULT_RETRY_POLICY.maxAttempts + 1);
    // Only the breaker's own probe closes it; a forced attempt does not.
    assert.equal((await harness.upstream(`${SIM}/cb-lonely`)).state, 'open');
  });
});
