/**
 * An attempt whose provider reported usage and then failed, or was left by the client, before the
 * first content is still billed by the provider: Anthropic's `message_start` counts the prompt.
 * The request pays it once, at that attempt's own model price, beside whatever served it
 * (ledger.md I11, test plan C2 and D11).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { Agent, request } from 'undici';
import { computeCostMicros } from '../../src/accounting/compute-cost.ts';
import { createUsage, type Usage } from '../../src/canonical/usage.ts';
import type { AttemptRecord } from '../../src/routing/attempt-record.ts';
import { countPromptTokens } from '../../src/simulator/count-prompt-tokens.ts';
import { openStore } from '../../src/storage/open-store.ts';
import type { Store } from '../../src/storage/store.ts';
import { readChatStream } from '../helpers/read-chat-stream.ts';
import {
  type BillingGateway,
  openFundedAccount,
  startBillingGateway,
} from '../helpers/start-billing-gateway.ts';

const CLAUDE = 'claude-sonnet-4-20250514';
const FALLBACK = 'gpt-4.1';
const FUNDS = 10_000n * 1_000_000n;
const PROMPT = `${'Summarise this sentence about billing accuracy. '.repeat(24)}[simulate tokens=50]`;
const BODY = {
  model: CLAUDE,
  max_tokens: 1_000,
  stream: true,
  stream_options: { include_usage: true },
  messages: [{ role: 'user', content: PROMPT }],
};

describe('attempts billed by their provider before failing', () => {
  let store: Store;
  let harness: BillingGateway;
  const agent = new Agent({ connections: 10 });

  before(async () => {
    store = await openStore({ url: 'sqlite::memory:' });
    harness = await startBillingGateway({
      store,
      configure: (config) => {
        const claude = config.models.find((model) => model.id === CLAUDE);
        assert.ok(claude);
        claude.fallbacks = [FALLBACK];
      },
    });
  });
  after(async () => {
    await agent.close();
    await harness.close();
    await store.close();
  });

  function costAt(modelId: string, usage: Usage): bigint {
    const pricing = harness.config.models.find((model) => model.id === modelId)?.pricing;
    assert.ok(pricing, modelId);
    return computeCostMicros({ usage, pricing, exchangeRate: harness.config.billing.exchangeRate });
  }

  async function onlyRow(accountId: string) {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const rows = await store.listUsageRecords({
        from: new Date(Date.now() - 600_000),
        to: new Date(Date.now() + 60_000),
        accountId,
      });
      if (rows.length > 0) {
        assert.equal(rows.length, 1);
        const [row] = rows;
        assert.ok(row);
        return row;
      }
      assert.ok(Date.now() < deadline, 'no usage row');
      await delay(20);
    }
  }

  function send(key: string, signal?: AbortSignal) {
    return request(`${harness.baseUrl}/chat/completions`, {
      method: 'POST',
      dispatcher: agent,
      ...(signal === undefined ? {} : { signal }),
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(BODY),
    });
  }

  test('a primary that reported its input then failed is billed beside the fallback that served', async () => {
    const account = await openFundedAccount({ store, name: 'd11', balanceMicros: FUNDS });
    harness.simulator.faults.add({ model: CLAUDE, errorEventAfterChunks: 0, times: 1 });
    const response = await send(account.key);
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['x-shepherd-attempts'], '2');
    assert.equal(response.headers['x-shepherd-model'], FALLBACK);
    await readChatStream(response.body, {});

    const row = await onlyRow(account.accountId);
    const [failed, served] = JSON.parse(row.attempts) as AttemptRecord[];
    assert.ok(failed?.billedUsage && served);
    assert.equal(failed.modelId, CLAUDE);
    assert.equal(failed.billedUsage.inputTokens, countPromptTokens(PROMPT.length));
    const failedCost = costAt(CLAUDE, failed.billedUsage);
    assert.equal(failed.costMicros, failedCost.toString());
    assert.equal(served.billedUsage, undefined);
    // The row adds the failed attempt's tokens to the served one's; each part at its own price.
    const servedUsage = createUsage({
      inputTokens: row.inputTokens - failed.billedUsage.inputTokens,
      outputTokens: row.outputTokens - failed.billedUsage.outputTokens,
    });
    assert.ok(servedUsage.outputTokens > 0);
    assert.equal(row.costMicros, failedCost + costAt(FALLBACK, servedUsage));
    const { postedMicros, heldMicros } = await store.getBalance(account.accountId);
    assert.equal(FUNDS - postedMicros, row.costMicros);
    assert.equal(heldMicros, 0n);
  });

  test('a client that leaves after message_start pays the input the provider reported', async () => {
    const account = await openFundedAccount({ store, name: 'c2', balanceMicros: FUNDS });
    harness.simulator.faults.add({ model: CLAUDE, stallAfterChunks: 0, stallMs: 20_000, times: 1 });
    const controller = new AbortController();
    const pending = send(account.key, controller.signal).catch(() => 'aborted');
    // message_start (with usage.input_tokens) reaches the gateway 20 ms into the stall's stream.
    await delay(500);
    controller.abort();
    await pending;

    const row = await onlyRow(account.accountId);
    assert.equal(row.status, 'client_closed');
    assert.equal(row.inputTokens, countPromptTokens(PROMPT.length));
    assert.ok(row.outputTokens <= 1, 'only what message_start reported');
    const billed = createUsage({ inputTokens: row.inputTokens, outputTokens: row.outputTokens });
    assert.equal(row.costMicros, costAt(CLAUDE, billed));
    const { postedMicros, heldMicros } = await store.getBalance(account.accountId);
    assert.equal(FUNDS - postedMicros, row.costMicros);
    assert.equal(heldMicros, 0n);
  });
});
