import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_CIRCUIT_BREAKER_POLICY } from './circuit-breaker-defaults.ts';
import { createDeploymentHealth } from './create-deployment-health.ts';
import type { Deployment } from './deployment.ts';
import type {
  CircuitBreakerPolicy,
  DeploymentHealth,
  DeploymentHealthView,
} from './deployment-health.ts';

const ID = 'openai/gpt-4.1';
/** Wall-clock epoch ms at monotonic time 0: the fake wall clock runs in step with `nowMs`. */
const WALL_AT_ZERO = 1_750_000_000_000;

const POLICY: CircuitBreakerPolicy = {
  consecutiveFailures: 3,
  failureRate: 0.5,
  minimumAttempts: 20,
  windowMs: 10_000,
  cooldownMs: 1_000,
  maxCooldownMs: 5_000,
  credentialRecheckMs: 60_000,
};

function deployment(overrides: Partial<Deployment> = {}): Deployment {
  return {
    id: ID,
    modelId: 'gpt-4.1',
    provider: 'openai',
    upstreamModel: 'gpt-4.1',
    weight: 1,
    priority: 0,
    ...overrides,
  };
}

function setup(policy: CircuitBreakerPolicy = POLICY): {
  health: DeploymentHealth;
  view: (nowMs: number) => DeploymentHealthView;
  clock: { monotonic: number };
} {
  const clock = { monotonic: 0 };
  const health = createDeploymentHealth({
    policy,
    wallClock: () => WALL_AT_ZERO + clock.monotonic,
  });
  health.register([deployment()]);
  const view = (nowMs: number): DeploymentHealthView => {
    clock.monotonic = nowMs;
    const found = health.snapshot(nowMs).find((entry) => entry.id === ID);
    assert.ok(found, 'deployment missing from the snapshot');
    return found;
  };
  return { health, view, clock };
}

function failTimes(health: DeploymentHealth, count: number, nowMs: number): void {
  for (let attempt = 0; attempt < count; attempt++) {
    assert.equal(health.tryAcquire(ID, nowMs), true);
    health.record(ID, { kind: 'transient' }, nowMs, 'HTTP 503');
  }
}

/** Opens the breaker, then lets its probe fail `failedProbes` times; returns when it is open. */
function openAfterFailedProbes(health: DeploymentHealth, failedProbes: number): number[] {
  failTimes(health, POLICY.consecutiveFailures, 0);
  const retryDelays: number[] = [];
  let now = 0;
  for (let probe = 0; probe <= failedProbes; probe++) {
    let waited = 0;
    while (!health.tryAcquire(ID, now + waited)) waited += 250;
    retryDelays.push(waited);
    now += waited;
    if (probe < failedProbes) health.record(ID, { kind: 'transient' }, now);
  }
  return retryDelays;
}

describe('closed → open', () => {
  test('opens on the configured number of consecutive transient failures', () => {
    const { health, view } = setup();
    failTimes(health, POLICY.consecutiveFailures - 1, 100);
    assert.equal(view(100).state, 'closed');
    assert.equal(health.isAvailable(ID, 100), true);
    failTimes(health, 1, 100);
    const opened = view(100);
    assert.equal(opened.state, 'open');
    assert.equal(health.stateOf(ID), 'open');
    assert.equal(opened.consecutiveFailures, POLICY.consecutiveFailures);
    assert.equal(opened.retryAtMs, WALL_AT_ZERO + 100 + POLICY.cooldownMs);
    assert.equal(health.tryAcquire(ID, 100), false);
    assert.equal(health.isAvailable(ID, 100 + POLICY.cooldownMs - 1), false);
    assert.equal(health.tryAcquire(ID, 100 + POLICY.cooldownMs - 1), false);
  });

  test('a success breaks the streak of consecutive failures', () => {
    const { health, view } = setup();
    failTimes(health, POLICY.consecutiveFailures - 1, 0);
    health.record(ID, { kind: 'success' }, 0);
    failTimes(health, POLICY.consecutiveFailures - 1, 0);
    const state = view(0);
    assert.equal(state.state, 'closed');
    assert.equal(state.consecutiveFailures, POLICY.consecutiveFailures - 1);
  });

  test('opens on the failure rate once the minimum attempts were seen, across a sparse window', () => {
    const policy = { ...POLICY, consecutiveFailures: 1_000 };
    const { health, view } = setup(policy);
    // 19 attempts in three of the ten buckets, alternating success and failure: 9 failures.
    const times = [0, 0, 0, 0, 0, 0, 0, 4_000, 4_000, 4_000, 4_000, 4_000, 4_000];
    times.push(9_000, 9_000, 9_000, 9_000, 9_000, 9_000);
    times.forEach((nowMs, index) => {
      assert.equal(health.tryAcquire(ID, nowMs), true);
      health.record(ID, { kind: index % 2 === 1 ? 'transient' : 'success' }, nowMs);
    });
    const before = view(9_000);
    assert.equal(before.state, 'closed');
    assert.equal(before.windowAttempts, 19);
    assert.equal(before.failureRate, 9 / 19);
    // The 20th attempt fails: 10 of 20, exactly the 0.5 threshold.
    health.record(ID, { kind: 'transient' }, 9_000);
    const opened = view(9_000);
    assert.equal(opened.state, 'open');
    assert.equal(opened.windowAttempts, 20);
    assert.equal(opened.failureRate, 0.5);
    assert.equal(opened.consecutiveFailures, 1);
  });

  test('a high failure rate below the minimum attempts keeps it closed', () => {
    const policy = { ...POLICY, consecutiveFailures: 1_000 };
    const { health, view } = setup(policy);
    failTimes(health, POLICY.minimumAttempts - 1, 0);
    const state = view(0);
    assert.equal(state.state, 'closed');
    assert.equal(state.failureRate, 1);
    failTimes(health, 1, 0);
    assert.equal(view(0).state, 'open');
  });

  test('a rate below the threshold keeps it closed', () => {
    const policy = { ...POLICY, consecutiveFailures: 1_000 };
    const { health, view } = setup(policy);
    for (let attempt = 0; attempt < 40; attempt++) {
      const verdict = attempt % 3 === 0 ? 'transient' : 'success';
      health.record(ID, { kind: verdict }, attempt * 100);
    }
    const state = view(4_000);
    assert.equal(state.state, 'closed');
    assert.equal(state.windowAttempts, 40);
    assert.equal(state.failureRate, 14 / 40);
  });

  test('failures older than the window stop counting, even in a reused bucket slot', () => {
    const policy = { ...POLICY, consecutiveFailures: 1_000 };
    const { health, view } = setup(policy);
    for (let attempt = 0; attempt < 15; attempt++) {
      health.record(ID, { kind: 'transient' }, 0);
    }
    assert.equal(view(0).windowAttempts, 15);
    assert.equal(view(POLICY.windowMs - 1).windowAttempts, 15);
    assert.equal(view(POLICY.windowMs).windowAttempts, 0);
    assert.equal(view(POLICY.windowMs).failureRate, 0);
    // At windowMs the bucket slot of t=0 is reused: its 15 failures must not be added to these.
    for (let attempt = 0; attempt < 19; attempt++) {
      const verdict = attempt % 2 === 0 ? 'transient' : 'success';
      health.record(ID, { kind: verdict }, POLICY.windowMs);
    }
    const state = view(POLICY.windowMs);
    assert.equal(state.state, 'closed');
    assert.equal(state.windowAttempts, 19);
    assert.equal(state.failureRate, 10 / 19);
    assert.equal(view(2 * POLICY.windowMs).windowAttempts, 0);
  });
});

describe('open → half-open → closed or open again', () => {
  test('after the cooldown exactly one probe is admitted until its verdict arrives', () => {
    const { health, view } = setup();
    failTimes(health, POLICY.consecutiveFailures, 0);
    const due = POLICY.cooldownMs;
    assert.equal(health.isAvailable(ID, due), true);
    assert.equal(view(due).state, 'open', 'isAvailable claims nothing');
    assert.equal(health.tryAcquire(ID, due), true);
    const probing = view(due);
    assert.equal(probing.state, 'half_open');
    assert.equal(health.stateOf(ID), 'half_open');
    assert.equal(probing.retryAtMs, null);
    assert.equal(probing.lastChangeAtMs, WALL_AT_ZERO + due);
    assert.equal(health.tryAcquire(ID, due), false);
    assert.equal(health.tryAcquire(ID, due + 10_000), false);
    assert.equal(health.isAvailable(ID, due + 10_000), false);
  });

  test('a successful probe closes the breaker and clears its counters', () => {
    const { health, view } = setup();
    failTimes(health, POLICY.consecutiveFailures, 0);
    assert.equal(health.tryAcquire(ID, 1_000), true);
    health.record(ID, { kind: 'success' }, 1_200);
    const closed = view(1_200);
    assert.equal(closed.state, 'closed');
    assert.equal(closed.consecutiveFailures, 0);
    assert.equal(closed.windowAttempts, 0);
    assert.equal(closed.failureRate, 0);
    assert.equal(closed.retryAtMs, null);
    assert.equal(closed.lastError, 'HTTP 503', 'the last error stays visible after recovery');
    assert.equal(closed.lastChangeAtMs, WALL_AT_ZERO + 1_200);
    assert.equal(health.tryAcquire(ID, 1_200), true);
    assert.equal(health.tryAcquire(ID, 1_200), true);
  });

  test('each failed probe doubles the cooldown, up to the maximum', () => {
    const { health } = setup();
    const delays = openAfterFailedProbes(health, 5);
    assert.deepEqual(delays, [1_000, 2_000, 4_000, 5_000, 5_000, 5_000]);
  });

  test('a probe failure reopens at once and shows the doubled retry time', () => {
    const { health, view } = setup();
    failTimes(health, POLICY.consecutiveFailures, 0);
    assert.equal(health.tryAcquire(ID, 1_000), true);
    health.record(ID, { kind: 'transient' }, 1_500, 'connect ECONNREFUSED');
    const reopened = view(1_500);
    assert.equal(reopened.state, 'open');
    assert.equal(reopened.retryAtMs, WALL_AT_ZERO + 1_500 + 2 * POLICY.cooldownMs);
    assert.equal(reopened.lastError, 'connect ECONNREFUSED');
    assert.equal(reopened.consecutiveFailures, POLICY.consecutiveFailures + 1);
    assert.equal(health.tryAcquire(ID, 1_500 + 2 * POLICY.cooldownMs - 1), false);
  });

  test('after a successful probe the next opening starts from the base cooldown again', () => {
    const { health } = setup();
    const delays = openAfterFailedProbes(health, 2);
    assert.deepEqual(delays, [1_000, 2_000, 4_000]);
    const probeAt = 7_000;
    health.record(ID, { kind: 'success' }, probeAt);
    failTimes(health, POLICY.consecutiveFailures, probeAt);
    assert.equal(health.tryAcquire(ID, probeAt + POLICY.cooldownMs - 1), false);
    assert.equal(health.tryAcquire(ID, probeAt + POLICY.cooldownMs), true);
  });

  test('a neutral verdict frees the probe slot and counts nothing', () => {
    const { health, view } = setup();
    failTimes(health, POLICY.consecutiveFailures, 0);
    assert.equal(health.tryAcquire(ID, 1_000), true);
    health.record(ID, { kind: 'neutral' }, 1_100);
    const state = view(1_100);
    assert.equal(state.state, 'half_open');
    assert.equal(state.consecutiveFailures, POLICY.consecutiveFailures);
    assert.equal(state.windowAttempts, POLICY.consecutiveFailures);
    assert.equal(health.isAvailable(ID, 1_100), true);
    assert.equal(health.tryAcquire(ID, 1_100), true);
    assert.equal(health.tryAcquire(ID, 1_100), false);
  });

  test('a neutral verdict while closed counts nothing', () => {
    const { health, view } = setup();
    failTimes(health, POLICY.consecutiveFailures - 1, 0);
    health.record(ID, { kind: 'neutral' }, 0);
    const state = view(0);
    assert.equal(state.consecutiveFailures, POLICY.consecutiveFailures - 1);
    assert.equal(state.windowAttempts, POLICY.consecutiveFailures - 1);
    failTimes(health, 1, 0);
    assert.equal(view(0).state, 'open', 'the neutral verdict did not break the streak');
  });

  test('late verdicts of attempts admitted before it opened do not close it', () => {
    const { health, view } = setup();
    failTimes(health, POLICY.consecutiveFailures, 0);
    health.record(ID, { kind: 'success' }, 100);
    health.record(ID, { kind: 'transient' }, 200, 'late timeout');
    const state = view(200);
    assert.equal(state.state, 'open');
    assert.equal(state.retryAtMs, WALL_AT_ZERO + POLICY.cooldownMs, 'retry time unchanged');
    assert.equal(state.lastError, 'late timeout');
  });
});

describe('cooling down after Retry-After', () => {
  test('keeps a closed deployment out until the Retry-After has passed', () => {
    const { health, view } = setup();
    health.record(ID, { kind: 'transient', retryAfterMs: 2_000 }, 500, 'HTTP 429');
    const cooling = view(500);
    assert.equal(cooling.state, 'closed');
    assert.equal(cooling.coolingUntilMs, WALL_AT_ZERO + 2_500);
    assert.equal(cooling.retryAtMs, null);
    assert.equal(health.isAvailable(ID, 2_499), false);
    assert.equal(health.tryAcquire(ID, 2_499), false);
    assert.equal(health.isAvailable(ID, 2_500), true);
    assert.equal(health.tryAcquire(ID, 2_500), true);
    assert.equal(view(2_500).coolingUntilMs, null);
  });

  test('a shorter Retry-After never shortens one already in force', () => {
    const { health } = setup();
    health.record(ID, { kind: 'transient', retryAfterMs: 5_000 }, 0);
    health.record(ID, { kind: 'transient', retryAfterMs: 1_000 }, 100);
    assert.equal(health.tryAcquire(ID, 4_999), false);
    assert.equal(health.tryAcquire(ID, 5_000), true);
  });

  test('also holds back the probe of an open breaker', () => {
    const { health, view } = setup();
    failTimes(health, POLICY.consecutiveFailures - 1, 0);
    health.record(ID, { kind: 'transient', retryAfterMs: 3_000 }, 0);
    assert.equal(view(0).state, 'open');
    assert.equal(health.isAvailable(ID, POLICY.cooldownMs), false);
    assert.equal(health.tryAcquire(ID, POLICY.cooldownMs), false);
    assert.equal(view(POLICY.cooldownMs).state, 'open', 'no probe slot was claimed');
    assert.equal(health.tryAcquire(ID, 3_000), true);
    assert.equal(view(3_000).state, 'half_open');
  });
});

describe('credential failures', () => {
  test('disable the deployment until the recheck time, then admit one probe', () => {
    const { health, view } = setup();
    health.record(ID, { kind: 'credential' }, 1_000, 'HTTP 401 invalid api key');
    const disabled = view(1_000);
    assert.equal(disabled.state, 'disabled');
    assert.equal(health.stateOf(ID), 'disabled');
    assert.equal(disabled.retryAtMs, WALL_AT_ZERO + 1_000 + POLICY.credentialRecheckMs);
    assert.equal(disabled.lastError, 'HTTP 401 invalid api key');
    const due = 1_000 + POLICY.credentialRecheckMs;
    assert.equal(health.isAvailable(ID, due - 1), false);
    assert.equal(health.tryAcquire(ID, due - 1), false);
    assert.equal(health.tryAcquire(ID, due), true);
    assert.equal(view(due).state, 'half_open');
    assert.equal(health.tryAcquire(ID, due), false);
    health.record(ID, { kind: 'success' }, due);
    assert.equal(view(due).state, 'closed');
  });

  test('a probe that is refused again disables it for another recheck period', () => {
    const { health, view } = setup();
    health.record(ID, { kind: 'credential' }, 0);
    assert.equal(view(0).lastError, 'upstream rejected the credential');
    const due = POLICY.credentialRecheckMs;
    assert.equal(health.tryAcquire(ID, due), true);
    health.record(ID, { kind: 'credential' }, due + 50);
    const disabled = view(due + 50);
    assert.equal(disabled.state, 'disabled');
    assert.equal(disabled.retryAtMs, WALL_AT_ZERO + due + 50 + POLICY.credentialRecheckMs);
    assert.equal(health.tryAcquire(ID, due + 50 + POLICY.credentialRecheckMs - 1), false);
  });

  test('a credential failure disables an open breaker, and a late one does not extend it', () => {
    const { health, view } = setup();
    failTimes(health, POLICY.consecutiveFailures, 0);
    health.record(ID, { kind: 'credential' }, 10);
    assert.equal(view(10).state, 'disabled');
    health.record(ID, { kind: 'credential' }, 5_000);
    assert.equal(view(5_000).retryAtMs, WALL_AT_ZERO + 10 + POLICY.credentialRecheckMs);
    assert.equal(view(5_000).lastChangeAtMs, WALL_AT_ZERO + 10);
  });
});

describe('reset and snapshot', () => {
  test('reset closes the breaker and clears counters, cooling and the last error', () => {
    const { health, view } = setup();
    failTimes(health, POLICY.consecutiveFailures - 1, 0);
    health.record(ID, { kind: 'transient', retryAfterMs: 60_000 }, 0, 'HTTP 429');
    assert.equal(view(0).state, 'open');
    assert.equal(health.reset(ID, 200), true);
    const state = view(200);
    assert.deepEqual(
      {
        state: state.state,
        consecutiveFailures: state.consecutiveFailures,
        windowAttempts: state.windowAttempts,
        retryAtMs: state.retryAtMs,
        coolingUntilMs: state.coolingUntilMs,
        lastError: state.lastError,
        lastChangeAtMs: state.lastChangeAtMs,
      },
      {
        state: 'closed',
        consecutiveFailures: 0,
        windowAttempts: 0,
        retryAtMs: null,
        coolingUntilMs: null,
        lastError: null,
        lastChangeAtMs: WALL_AT_ZERO + 200,
      },
    );
    assert.equal(health.tryAcquire(ID, 200), true);
  });

  test('reset of an unknown id is refused; unknown ids are closed and their verdicts ignored', () => {
    const { health } = setup();
    assert.equal(health.reset('nobody/nothing', 0), false);
    for (let attempt = 0; attempt < 10; attempt++) {
      health.record('nobody/nothing', { kind: 'transient' }, 0);
    }
    health.record('nobody/nothing', { kind: 'credential' }, 0);
    assert.equal(health.tryAcquire('nobody/nothing', 0), true);
    assert.equal(health.isAvailable('nobody/nothing', 0), true);
    assert.equal(health.stateOf('nobody/nothing'), 'closed');
    assert.deepEqual(
      health.snapshot(0).map((entry) => entry.id),
      [ID],
    );
  });

  test('register is idempotent and gathers the models sharing a deployment', () => {
    const health = createDeploymentHealth({ policy: POLICY, wallClock: () => WALL_AT_ZERO });
    const anthropic = deployment({
      id: 'anthropic/claude-sonnet-4-5',
      modelId: 'claude-sonnet-4-5',
      provider: 'anthropic',
      upstreamModel: 'claude-sonnet-4-5',
    });
    health.register([deployment(), anthropic]);
    health.record(ID, { kind: 'transient' }, 0, 'HTTP 500');
    health.register([deployment(), deployment({ modelId: 'gpt-4.1-fallback' }), anthropic]);
    assert.deepEqual(health.snapshot(0), [
      {
        id: ID,
        provider: 'openai',
        upstreamModel: 'gpt-4.1',
        modelIds: ['gpt-4.1', 'gpt-4.1-fallback'],
        state: 'closed',
        consecutiveFailures: 1,
        failureRate: 1,
        windowAttempts: 1,
        retryAtMs: null,
        coolingUntilMs: null,
        lastError: 'HTTP 500',
        lastChangeAtMs: null,
      },
      {
        id: 'anthropic/claude-sonnet-4-5',
        provider: 'anthropic',
        upstreamModel: 'claude-sonnet-4-5',
        modelIds: ['claude-sonnet-4-5'],
        state: 'closed',
        consecutiveFailures: 0,
        failureRate: 0,
        windowAttempts: 0,
        retryAtMs: null,
        coolingUntilMs: null,
        lastError: null,
        lastChangeAtMs: null,
      },
    ]);
  });

  test('times are shown on the wall clock read at snapshot time, not at the event', () => {
    let wall = 1_000_000;
    const health = createDeploymentHealth({ policy: POLICY, wallClock: () => wall });
    health.register([deployment()]);
    failTimes(health, POLICY.consecutiveFailures, 5_000);
    // The wall clock jumped an hour ahead since: decisions ignore it, the view follows it.
    wall = 1_000_000 + 3_600_000 + 2_000;
    const [view] = health.snapshot(7_000);
    assert.equal(view?.lastChangeAtMs, wall - 2_000);
    assert.equal(view?.retryAtMs, wall - 2_000 + POLICY.cooldownMs);
    assert.equal(health.tryAcquire(ID, 5_000 + POLICY.cooldownMs), true);
  });

  test('the snapshot is a copy and long error messages are shortened', () => {
    const { health, view } = setup();
    health.record(ID, { kind: 'transient' }, 0, 'x'.repeat(5_000));
    const first = view(0);
    assert.equal(first.lastError?.length, 200);
    assert.ok(first.lastError?.endsWith('…'));
    first.modelIds.push('tampered');
    assert.deepEqual(view(0).modelIds, ['gpt-4.1']);
  });
});

test('the default policy opens after five failures in a row and probes after 30 s', () => {
  const { health, view } = setup(DEFAULT_CIRCUIT_BREAKER_POLICY);
  failTimes(health, 4, 0);
  assert.equal(view(0).state, 'closed');
  failTimes(health, 1, 0);
  assert.equal(view(0).state, 'open');
  assert.equal(health.tryAcquire(ID, 29_999), false);
  assert.equal(health.tryAcquire(ID, 30_000), true);
});

test('a Retry-After cool-down is capped at the longest cooldown', () => {
  const health = createDeploymentHealth({
    policy: { ...DEFAULT_CIRCUIT_BREAKER_POLICY, maxCooldownMs: 1_000 },
    wallClock: () => 0,
  });
  health.register([
    { id: 'p/m', modelId: 'm', provider: 'p', upstreamModel: 'm', weight: 1, priority: 0 },
  ]);
  assert.ok(health.tryAcquire('p/m', 0));
  health.record('p/m', { kind: 'transient', retryAfterMs: 86_400_000 }, 0);
  assert.equal(health.isAvailable('p/m', 999), false);
  assert.equal(health.isAvailable('p/m', 1_000), true);
});
