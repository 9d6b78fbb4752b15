import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { Agent, fetch } from 'undici';
import {
  type FailoverGateway,
  runPool,
  SIM,
  simModel,
  startFailoverGateway,
} from './start-failover-gateway.ts';

/**
 * Issue 4, item 9: deployments of one priority share traffic by weight (smooth weighted
 * round-robin, so shares are exact over whole cycles and picks interleave); a higher priority only
 * serves when every lower one failed.
 */

const REQUESTS = 2_000;
const CONCURRENCY = 20;

describe('load balancing across deployments', () => {
  let harness: FailoverGateway;
  const agent = new Agent({ connections: CONCURRENCY });
  before(async () => {
    harness = await startFailoverGateway({
      models: [
        simModel({
          id: 'balanced',
          routes: [
            { provider: SIM, model: 'lb-heavy', weight: 3 },
            { provider: SIM, model: 'lb-light', weight: 1 },
          ],
          fallbacks: [],
        }),
        simModel({
          id: 'interleaved',
          routes: [
            { provider: SIM, model: 'il-heavy', weight: 3 },
            { provider: SIM, model: 'il-light', weight: 1 },
          ],
          fallbacks: [],
        }),
        simModel({
          id: 'tiered',
          routes: [
            { provider: SIM, model: 'tier-main-1', priority: 0 },
            { provider: SIM, model: 'tier-main-2', priority: 0 },
            { provider: SIM, model: 'tier-spare', priority: 1 },
          ],
          fallbacks: [],
        }),
      ],
      routing: { retry: { backoffBaseMs: 5, backoffMaxMs: 20 } },
    });
  });
  beforeEach(async () => {
    harness.simulator.faults.clear();
    harness.simulator.clearRequests();
    await harness.resetAllUpstreams();
  });
  after(async () => {
    await agent.close();
    await harness.close();
  });

  async function post(model: string, index: number): Promise<string> {
    const response = await fetch(`${harness.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${harness.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model,
        stream: index % 2 === 1,
        messages: [{ role: 'user', content: `[simulate tokens=5] request ${index}` }],
      }),
      dispatcher: agent,
    });
    await response.text();
    assert.equal(response.status, 200);
    return response.headers.get('x-request-id') ?? '';
  }

  test(`weights 3:1 over ${REQUESTS} concurrent requests give exactly 3:1`, async () => {
    await runPool(REQUESTS, CONCURRENCY, (index) => post('balanced', index));
    const heavy = harness.upstreamCalls('lb-heavy');
    const light = harness.upstreamCalls('lb-light');
    assert.equal(heavy + light, REQUESTS);
    // The issue asks for ±5 %; smooth round-robin with no failures is exact.
    assert.equal(heavy, (REQUESTS * 3) / 4);
    assert.equal(light, REQUESTS / 4);
    const rows = (await harness.usageRows()).filter((row) => row.requestedModel === 'balanced');
    assert.equal(rows.length, REQUESTS);
    assert.equal(rows.filter((row) => row.upstreamModel === 'lb-heavy').length, heavy);
  });

  test('weighted picks interleave (3:1 gives heavy heavy light heavy)', async () => {
    for (let index = 0; index < 8; index += 1) await post('interleaved', index * 2);
    const order = harness.simulator.requests.map((entry) =>
      typeof entry.body === 'object' && entry.body !== null && 'model' in entry.body
        ? entry.body.model
        : undefined,
    );
    assert.deepEqual(order, [
      'il-heavy',
      'il-heavy',
      'il-light',
      'il-heavy',
      'il-heavy',
      'il-heavy',
      'il-light',
      'il-heavy',
    ]);
  });

  test('a higher priority serves only when every lower one fails', async () => {
    await runPool(100, 10, (index) => post('tiered', index));
    assert.equal(harness.upstreamCalls('tier-main-1'), 50);
    assert.equal(harness.upstreamCalls('tier-main-2'), 50);
    assert.equal(harness.upstreamCalls('tier-spare'), 0);

    harness.simulator.clearRequests();
    harness.simulator.faults.add({ model: 'tier-main-1', status: 500 });
    await runPool(20, 1, (index) => post('tiered', index));
    assert.equal(harness.upstreamCalls('tier-spare'), 0, 'the other priority-0 deployment serves');
    assert.equal(harness.upstreamCalls('tier-main-2'), 20);

    harness.simulator.clearRequests();
    harness.simulator.faults.add({ model: 'tier-main-2', status: 500 });
    await runPool(20, 1, (index) => post('tiered', index));
    assert.equal(harness.upstreamCalls('tier-spare'), 20);
  });
});
