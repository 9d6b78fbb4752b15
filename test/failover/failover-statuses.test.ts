import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  attemptsOf,
  type ChatResult,
  type FailoverGateway,
  SIM,
  simModel,
  startFailoverGateway,
  summarizeStream,
} from './start-failover-gateway.ts';

/**
 * Issue 4, item 1: how each upstream status steers the failover walk. `twin` has two deployments
 * (priority 0 then 1, so the order is fixed) and a fallback model `solo`; `solo` has one
 * deployment and no fallback. Every breaker is reset between tests so one test's failures do not
 * trip the next one's deployment.
 */

const TWIN_A = `${SIM}/twin-a`;
const TWIN_B = `${SIM}/twin-b`;
const SOLO = `${SIM}/solo-a`;

const RETRYABLE: ReadonlyArray<{ status: number; code: string }> = [
  { status: 408, code: 'GW_ERR_UPSTREAM_TIMEOUT' },
  { status: 429, code: 'GW_ERR_UPSTREAM_RATE_LIMITED' },
  { status: 500, code: 'GW_ERR_UPSTREAM_SERVER_ERROR' },
  { status: 502, code: 'GW_ERR_UPSTREAM_SERVER_ERROR' },
  { status: 503, code: 'GW_ERR_UPSTREAM_OVERLOADED' },
  { status: 504, code: 'GW_ERR_UPSTREAM_TIMEOUT' },
  { status: 529, code: 'GW_ERR_UPSTREAM_OVERLOADED' },
];

/** The client status and OpenAI error code each refusal reaches the client with. */
const NON_RETRYABLE: ReadonlyArray<{
  status: number;
  clientStatus: number;
  code: string;
  openaiCode: string;
}> = [
  {
    status: 400,
    clientStatus: 400,
    code: 'GW_ERR_UPSTREAM_BAD_REQUEST',
    openaiCode: 'upstream_bad_request',
  },
  {
    status: 403,
    clientStatus: 403,
    code: 'GW_ERR_UPSTREAM_PERMISSION',
    openaiCode: 'upstream_permission_denied',
  },
  {
    status: 413,
    clientStatus: 413,
    code: 'GW_ERR_BODY_TOO_LARGE',
    openaiCode: 'request_too_large',
  },
  // 422 (unprocessable) is the client's fault like 400 and is reported as a 400.
  {
    status: 422,
    clientStatus: 400,
    code: 'GW_ERR_UPSTREAM_BAD_REQUEST',
    openaiCode: 'upstream_bad_request',
  },
];

const CREDENTIAL: ReadonlyArray<{ status: number; code: string }> = [
  { status: 401, code: 'GW_ERR_UPSTREAM_AUTH' },
  { status: 402, code: 'GW_ERR_UPSTREAM_QUOTA' },
  { status: 404, code: 'GW_ERR_UPSTREAM_NOT_FOUND' },
];

describe('failover by upstream status', () => {
  let harness: FailoverGateway;
  before(async () => {
    harness = await startFailoverGateway({
      models: [
        simModel({
          id: 'twin',
          routes: [
            { provider: SIM, model: 'twin-a', priority: 0 },
            { provider: SIM, model: 'twin-b', priority: 1 },
          ],
          fallbacks: ['solo'],
        }),
        simModel({ id: 'solo', routes: ['solo-a'], fallbacks: [] }),
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

  const ask = (model: string, stream: boolean, extra: Record<string, unknown> = {}) =>
    harness.chat({ model, stream, messages: [{ role: 'user', content: 'hi' }], ...extra });

  function assertAnsweredBy(result: ChatResult, stream: boolean, upstreamModel: string) {
    assert.equal(result.status, 200, result.text);
    if (stream) {
      const summary = summarizeStream(result.text);
      assert.ok(summary.done, 'the stream ends with [DONE]');
      assert.equal(summary.error, undefined);
      assert.match(summary.text, new RegExp(`\\(model ${upstreamModel}\\)`));
    } else {
      assert.match(result.text, new RegExp(`\\(model ${upstreamModel}\\)`));
    }
  }

  for (const { status, code } of RETRYABLE) {
    for (const stream of [false, true]) {
      test(`${status} (stream=${stream}): the next deployment answers, chain of 2`, async () => {
        harness.simulator.faults.add({ model: 'twin-a', status, times: 1 });
        const result = await ask('twin', stream);
        assertAnsweredBy(result, stream, 'twin-b');
        assert.equal(result.headers.get('x-shepherd-model'), 'twin');
        assert.equal(result.headers.get('x-shepherd-provider'), SIM);
        assert.equal(result.headers.get('x-shepherd-attempts'), '2');
        assert.equal(result.headers.get('x-shepherd-fallback'), 'false');
        assert.equal(harness.upstreamCalls('twin-a'), 1);
        assert.equal(harness.upstreamCalls('twin-b'), 1);
        assert.equal(harness.upstreamCalls('solo-a'), 0, 'no fallback model was needed');

        const row = await harness.usageRow(result.requestId);
        assert.equal(row.status, 'ok');
        assert.equal(row.servedModel, 'twin');
        assert.equal(row.upstreamModel, 'twin-b');
        const attempts = attemptsOf(row);
        assert.equal(attempts.length, 2);
        assert.deepEqual(
          attempts.map((attempt) => [
            attempt.deploymentId,
            attempt.outcome,
            attempt.upstreamStatus,
            attempt.errorCode,
          ]),
          [
            [TWIN_A, 'error', status, code],
            [TWIN_B, 'ok', null, null],
          ],
        );
        const [first, second] = attempts;
        assert.ok(first !== undefined && second !== undefined);
        assert.ok(second.startMs >= first.startMs + first.durationMs - 1, 'attempts in order');
      });

      test(`${status} (stream=${stream}): a lone deployment is retried and answers`, async () => {
        // A 429's default Retry-After (1 s) is the Retry-After test's subject; here it is 0.
        harness.simulator.faults.add({
          model: 'solo-a',
          status,
          times: 1,
          ...(status === 429 ? { retryAfterSeconds: 0 } : {}),
        });
        const result = await ask('solo', stream);
        assertAnsweredBy(result, stream, 'solo-a');
        assert.equal(result.headers.get('x-shepherd-attempts'), '2');
        assert.equal(result.headers.get('x-shepherd-fallback'), 'false');
        assert.equal(harness.upstreamCalls('solo-a'), 2);
        const attempts = attemptsOf(await harness.usageRow(result.requestId));
        assert.deepEqual(
          attempts.map((attempt) => [attempt.deploymentId, attempt.outcome, attempt.errorCode]),
          [
            [SOLO, 'error', code],
            [SOLO, 'ok', null],
          ],
        );
      });
    }
  }

  for (const { status, clientStatus, code, openaiCode } of NON_RETRYABLE) {
    for (const stream of [false, true]) {
      test(`${status} (stream=${stream}): one attempt, the client gets ${clientStatus}`, async () => {
        harness.simulator.faults.add({ model: 'twin-a', status });
        const result = await ask('twin', stream);
        assert.equal(result.status, clientStatus, result.text);
        const body = JSON.parse(result.text) as { error: { code: string } };
        assert.equal(body.error.code, openaiCode);
        assert.equal(result.headers.get('x-shepherd-attempts'), '1');
        assert.equal(result.headers.get('x-shepherd-fallback'), 'false');
        assert.equal(harness.upstreamCalls('twin-a'), 1);
        assert.equal(harness.upstreamCalls('twin-b'), 0, 'no other deployment was tried');
        assert.equal(harness.upstreamCalls('solo-a'), 0, 'no fallback model was tried');

        const row = await harness.usageRow(result.requestId);
        assert.equal(row.status, 'error');
        assert.equal(row.errorCode, code);
        assert.equal(row.costMicros, 0n);
        assert.deepEqual(
          attemptsOf(row).map((attempt) => [
            attempt.deploymentId,
            attempt.outcome,
            attempt.upstreamStatus,
          ]),
          [[TWIN_A, 'error', status]],
        );
        // The deployment answered; it was the request that was refused.
        assert.equal((await harness.upstream(TWIN_A)).state, 'closed');
      });
    }
  }

  for (const { status, code } of CREDENTIAL) {
    test(`${status}: the deployment is disabled, another serves, reset restores it`, async () => {
      harness.simulator.faults.add({ model: 'twin-a', status, times: 1 });
      const first = await ask('twin', false);
      assertAnsweredBy(first, false, 'twin-b');
      assert.equal(first.headers.get('x-shepherd-attempts'), '2');
      assert.deepEqual(
        attemptsOf(await harness.usageRow(first.requestId)).map((attempt) => [
          attempt.deploymentId,
          attempt.errorCode,
          attempt.upstreamStatus,
        ]),
        [
          [TWIN_A, code, status],
          [TWIN_B, null, null],
        ],
      );
      const disabled = await harness.upstream(TWIN_A);
      assert.equal(disabled.state, 'disabled');
      assert.ok(disabled.lastError !== null && disabled.lastError.length > 0);
      assert.ok(disabled.retryAtMs !== null && disabled.retryAtMs > Date.now());
      assert.equal((await harness.upstream(TWIN_B)).state, 'closed');

      // The fault is used up, but the deployment is not tried again: streams neither.
      for (const stream of [false, true, false]) {
        const next = await ask('twin', stream);
        assertAnsweredBy(next, stream, 'twin-b');
        assert.equal(next.headers.get('x-shepherd-attempts'), '1');
      }
      assert.equal(harness.upstreamCalls('twin-a'), 1, 'a disabled deployment gets no traffic');

      assert.equal(await harness.resetUpstream(TWIN_A), 200);
      const restored = await harness.upstream(TWIN_A);
      assert.equal(restored.state, 'closed');
      assert.equal(restored.lastError, null);
      const afterReset = await ask('twin', false);
      assertAnsweredBy(afterReset, false, 'twin-a');
      assert.equal(afterReset.headers.get('x-shepherd-attempts'), '1');
    });
  }

  test('401 on the only deployment of a model with no fallback: 502 after one attempt', async () => {
    harness.simulator.faults.add({ model: 'solo-a', status: 401 });
    const result = await ask('solo', false);
    assert.equal(result.status, 502, result.text);
    const body = JSON.parse(result.text) as { error: { code: string } };
    assert.equal(body.error.code, 'upstream_authentication_failed');
    assert.equal(result.headers.get('x-shepherd-attempts'), '1');
    assert.equal(result.headers.get('x-shepherd-fallback'), 'false');
    assert.equal(harness.upstreamCalls('solo-a'), 1);
    assert.equal((await harness.upstream(SOLO)).state, 'disabled');
    // While disabled and with nothing else to try, the model is refused without an attempt.
    const refused = await ask('solo', false);
    assert.equal(refused.status, 502, refused.text);
    const refusal = JSON.parse(refused.text) as { error: { code: string } };
    assert.equal(refusal.error.code, 'upstream_unreachable');
    assert.equal(refused.headers.get('x-shepherd-attempts'), '0');
    assert.equal(harness.upstreamCalls('solo-a'), 1);
    const row = await harness.usageRow(refused.requestId);
    assert.equal(row.status, 'error');
    assert.deepEqual(attemptsOf(row), []);
  });

  for (const fault of [
    { cutAfterChunks: 1 },
    { malformedAfterChunks: 1 },
    { resetConnection: true },
  ]) {
    test(`a broken non-streaming answer (${JSON.stringify(fault)}) fails over`, async () => {
      harness.simulator.faults.add({ model: 'twin-a', times: 1, ...fault });
      const result = await ask('twin', false);
      assertAnsweredBy(result, false, 'twin-b');
      assert.equal(result.headers.get('x-shepherd-attempts'), '2');
      const attempts = attemptsOf(await harness.usageRow(result.requestId));
      assert.deepEqual(
        attempts.map((attempt) => [attempt.deploymentId, attempt.outcome]),
        [
          [TWIN_A, 'error'],
          [TWIN_B, 'ok'],
        ],
      );
      assert.ok(attempts[0]?.errorCode?.startsWith('GW_ERR_UPSTREAM'));
    });
  }

  test('a deployment whose every attempt fails: the walk stops at maxAttempts', async () => {
    harness.simulator.faults.add({ model: 'twin-a', status: 500 });
    harness.simulator.faults.add({ model: 'twin-b', status: 503 });
    harness.simulator.faults.add({ model: 'solo-a', status: 502 });
    const result = await ask('twin', false);
    assert.equal(result.status, 502, result.text);
    assert.equal(result.headers.get('x-shepherd-attempts'), '3');
    assert.equal(result.headers.get('x-shepherd-fallback'), 'true');
    const row = await harness.usageRow(result.requestId);
    assert.equal(row.status, 'error');
    assert.equal(row.costMicros, 0n);
    assert.deepEqual(
      attemptsOf(row).map((attempt) => attempt.deploymentId),
      [TWIN_A, TWIN_B, SOLO],
    );
  });

  test('reset of an unknown deployment is a 404', async () => {
    assert.equal(await harness.resetUpstream('sim/no-such-model'), 404);
  });
});
