/**
 * A stream that breaks after its first content was counted as a success when it committed and
 * never told the breaker more: a deployment breaking every stream mid-answer stayed in service.
 * Its failures now count (test plan B14), so after enough of them the fallback serves.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  type FailoverGateway,
  SIM,
  simModel,
  startFailoverGateway,
} from './start-failover-gateway.ts';

let harness: FailoverGateway;
before(async () => {
  harness = await startFailoverGateway({
    models: [
      simModel({ id: 'flaky', routes: ['flaky-a'], fallbacks: ['spare'] }),
      simModel({ id: 'spare', routes: ['spare-a'], fallbacks: [] }),
    ],
    routing: { circuitBreaker: { consecutiveFailures: 3, cooldownMs: 60_000 } },
  });
});
after(async () => harness.close());

test('streams failing after their first content open the breaker; the fallback then serves', async () => {
  harness.simulator.faults.add({ model: 'flaky-a', errorEventAfterChunks: 1 });
  const servedBy: Array<string | null> = [];
  for (let index = 0; index < 5; index += 1) {
    const answer = await harness.chat({
      model: 'flaky',
      stream: true,
      messages: [{ role: 'user', content: `[simulate tokens=20] ${index}` }],
    });
    assert.equal(answer.status, 200);
    servedBy.push(answer.headers.get('x-shepherd-model'));
  }
  const view = await harness.upstream(`${SIM}/flaky-a`);
  assert.equal(view.state, 'open');
  assert.deepEqual(servedBy, ['flaky', 'flaky', 'flaky', 'spare', 'spare']);
});

test('a client leaving mid-stream is not held against the deployment', async () => {
  const before = await harness.upstream(`${SIM}/spare-a`);
  const controller = new AbortController();
  const response = await fetch(`${harness.baseUrl}/chat/completions`, {
    method: 'POST',
    signal: controller.signal,
    headers: { authorization: `Bearer ${harness.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'spare',
      stream: true,
      messages: [{ role: 'user', content: '[simulate tokens=2000] long' }],
    }),
  });
  assert.equal(response.status, 200);
  const reader = response.body?.getReader();
  await reader?.read();
  controller.abort();
  await new Promise((resolve) => setTimeout(resolve, 100));
  const afterLeaving = await harness.upstream(`${SIM}/spare-a`);
  assert.equal(afterLeaving.state, 'closed');
  assert.equal(afterLeaving.consecutiveFailures, before.consecutiveFailures);
});
