/**
 * What a request may learn about a deployment it did not reach through the breaker: an attempt
 * forced past it (nothing else admitted the request) is not the breaker's probe, and a
 * deployment its provider asked to leave alone (Retry-After) is not forced at all. And a model
 * served by two provider dialects answers a request only one of them can express.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { GatewayError } from '../../src/errors/gateway-error.ts';
import { CandidateUnusableError } from '../../src/routing/candidate-unusable-error.ts';
import { createDeploymentHealth } from '../../src/routing/create-deployment-health.ts';
import type { Deployment } from '../../src/routing/deployment.ts';
import { DEFAULT_RETRY_POLICY } from '../../src/routing/retry-policy.ts';
import { runFailover } from '../../src/routing/run-failover.ts';
import {
  type FailoverGateway,
  SIM,
  simModel,
  startFailoverGateway,
} from './start-failover-gateway.ts';

const BREAKER = {
  consecutiveFailures: 1,
  failureRate: 1,
  minimumAttempts: 100,
  windowMs: 30_000,
  cooldownMs: 1_000,
  maxCooldownMs: 60_000,
  credentialRecheckMs: 300_000,
};

function deployment(id: string): Deployment {
  return { id, modelId: 'm', provider: id, upstreamModel: id, weight: 1, priority: 0 };
}

describe('the walk and the breaker', () => {
  test('an attempt forced onto a half-open deployment does not decide its breaker', async () => {
    let now = 0;
    const health = createDeploymentHealth({ policy: BREAKER, wallClock: () => 0 });
    const [a, b] = [deployment('a'), deployment('b')];
    health.register([a, b]);
    health.record('a', { kind: 'transient' }, now); // a open until 1 000
    now = 500;
    health.record('b', { kind: 'transient' }, now); // b open until 1 500
    now = 1_100; // a may be probed, b not yet
    const common = {
      candidates: [a, b],
      policy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 1 },
      health,
      monotonicMs: () => now,
      acceptedAtMs: now,
      random: () => 0.5,
      sleep: async (ms: number) => {
        now += ms;
      },
      signal: new AbortController().signal,
    };
    let releaseProbe = () => {};
    const probeHeld = new Promise<void>((resolve) => {
      releaseProbe = resolve;
    });
    // The first request takes a's probe, which will succeed.
    const probe = runFailover<string>({
      ...common,
      attempt: async (chosen) => {
        await probeHeld;
        return chosen.id;
      },
    });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(health.stateOf('a'), 'half_open');
    // The second is admitted nowhere, forced onto a, and fails there.
    const forced = await runFailover<string>({
      ...common,
      attempt: async () => {
        throw new GatewayError('GW_ERR_UPSTREAM_SERVER_ERROR', 'boom', { upstreamStatus: 500 });
      },
    });
    assert.equal(forced.ok, false);
    assert.equal(health.stateOf('a'), 'half_open', 'the forced failure left the probe alone');
    releaseProbe();
    assert.equal((await probe).ok, true);
    assert.equal(health.stateOf('a'), 'closed', 'the probe decided');
  });

  test('a request its model cannot express is refused without an attempt or a verdict', async () => {
    const now = 1_500;
    const health = createDeploymentHealth({ policy: BREAKER, wallClock: () => 0 });
    const a = deployment('a');
    health.register([a]);
    health.record('a', { kind: 'transient' }, 0); // open until 1 000: the next request probes
    const refusal = new GatewayError('GW_ERR_UNSUPPORTED_PARAMETER', 'seed', { param: 'seed' });
    const result = await runFailover<string>({
      candidates: [a],
      policy: DEFAULT_RETRY_POLICY,
      health,
      monotonicMs: () => now,
      acceptedAtMs: now,
      random: () => 0.5,
      sleep: async () => {},
      signal: new AbortController().signal,
      attempt: () => {
        throw new CandidateUnusableError(refusal, { final: true });
      },
    });
    assert.equal(result.ok, false);
    assert.equal(result.ok ? undefined : result.error, refusal);
    assert.equal(result.attempts.length, 0);
    // Nothing reached the provider: the breaker is not closed by it, and its probe slot is free.
    assert.equal(health.stateOf('a'), 'half_open');
    assert.equal(health.tryAcquire('a', now), true);
  });
});

describe('through the gateway', () => {
  let harness: FailoverGateway;
  before(async () => {
    harness = await startFailoverGateway({
      models: [
        simModel({ id: 'limited', routes: ['limited-a'], fallbacks: [] }),
        simModel({
          id: 'mixed',
          routes: [
            { provider: 'sim-anthropic', model: 'mixed-claude', weight: 1 },
            { provider: SIM, model: 'mixed-openai', weight: 1 },
          ],
          fallbacks: [],
        }),
        simModel({
          id: 'claude-only',
          routes: [{ provider: 'sim-anthropic', model: 'only-claude' }],
          fallbacks: [],
        }),
      ],
      providers: {
        'sim-anthropic': { type: 'anthropic', baseUrl: '{simulator}', apiKey: 'anthropic-key' },
      },
    });
  });
  after(async () => harness.close());

  test('a provider that asked for 30 s of quiet gets it: later requests get 429 without a call', async () => {
    harness.simulator.faults.add({ model: 'limited-a', status: 429, retryAfterSeconds: 30 });
    const answers = [];
    for (let index = 0; index < 4; index += 1) {
      const answer = await harness.chat({
        model: 'limited',
        messages: [{ role: 'user', content: `x ${index}` }],
      });
      answers.push(answer);
    }
    assert.equal(harness.upstreamCalls('limited-a'), 1);
    for (const answer of answers) assert.equal(answer.status, 429);
    for (const answer of answers.slice(1)) {
      assert.equal(answer.headers.get('x-shepherd-attempts'), '0');
      const wait = Number(answer.headers.get('retry-after'));
      assert.ok(wait >= 1 && wait <= 30, `retry-after ${wait}`);
    }
  });

  test('a request only one of a model’s two dialects can express is served by that one', async () => {
    for (let index = 0; index < 4; index += 1) {
      const answer = await harness.chat({
        model: 'mixed',
        seed: 7,
        messages: [{ role: 'user', content: `hi ${index}` }],
      });
      assert.equal(answer.status, 200, answer.text);
      assert.equal(answer.headers.get('x-shepherd-attempts'), '1');
    }
  });

  test('a model none of whose deployments can express the request refuses it, with no attempt', async () => {
    const answer = await harness.chat({
      model: 'claude-only',
      seed: 7,
      messages: [{ role: 'user', content: 'hi' }],
    });
    assert.equal(answer.status, 400);
    assert.match(answer.text, /seed/);
    assert.equal(answer.headers.get('x-shepherd-attempts'), '0');
  });
});
