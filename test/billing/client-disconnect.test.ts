import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { Agent, request } from 'undici';
import { computeCostMicros } from '../../src/accounting/compute-cost.ts';
import { computeHoldMicros, type Hold } from '../../src/accounting/compute-hold.ts';
import { countOutputTokens } from '../../src/accounting/count-output-tokens.ts';
import { createUsage } from '../../src/canonical/usage.ts';
import type { ModelEntry } from '../../src/config/config-schema.ts';
import { countPromptTokens } from '../../src/simulator/count-prompt-tokens.ts';
import type { UsageRecord } from '../../src/storage/ledger-store.ts';
import { openStore } from '../../src/storage/open-store.ts';
import type { Store } from '../../src/storage/store.ts';
import { parseOpenaiChatRequest } from '../../src/surfaces/openai/parse-openai-chat-request.ts';
import { readChatStream } from '../helpers/read-chat-stream.ts';
import {
  type BillingGateway,
  type FundedAccount,
  openFundedAccount,
  startBillingGateway,
} from '../helpers/start-billing-gateway.ts';

/**
 * Test plan C1, C2, C7 and D6: what a client that leaves early is charged. The gateway aborts the
 * upstream when its client goes (docs/decisions/0002) and bills the cut stream once: from the
 * provider's usage when some arrived, else estimated (prompt estimate + o200k count of the text
 * delivered), never above the hold; nothing at all when nothing was delivered and no usage came.
 */

const SLOW_OPENAI = 'gpt-4.1';
const SLOW_ANTHROPIC = 'claude-sonnet-4-20250514';
/**
 * Slow to the first token two ways: Gemini's simulator sends no headers until then (the upstream
 * call is still pending), DeepSeek's sends headers and keep-alive comments at once (the upstream
 * stream is open, with no content yet).
 */
const SLOW_FIRST_TOKEN = [
  { model: 'gemini-2.5-flash', upstream: 'gemini-2.5-flash', stage: 'upstream headers pending' },
  { model: 'deepseek-v3.2', upstream: 'deepseek-chat', stage: 'upstream stream open, no token' },
];
const FIRST_TOKEN_AFTER = { timeToFirstTokenMs: 20_000, tokensPerSecond: 100 };
/** 20 tokens/s, one token per chunk: a 500-token answer would take 25 s. */
const SLOW = { timeToFirstTokenMs: 0, tokensPerSecond: 20, tokensPerChunk: 1 };
const FUNDS = 10_000n * 1_000_000n;

/** Polls `condition` every 10 ms for up to 5 s. */
async function waitUntil(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    assert.ok(Date.now() < deadline, `timed out waiting: ${what}`);
    await delay(10);
  }
}

describe('a client that disconnects is billed once, for what it was delivered', () => {
  let store: Store;
  let harness: BillingGateway;
  const agent = new Agent({ connections: 200 });
  before(async () => {
    store = await openStore({ url: 'sqlite::memory:' });
    harness = await startBillingGateway({
      store,
      simulatorProfiles: {
        [SLOW_OPENAI]: SLOW,
        [SLOW_ANTHROPIC]: SLOW,
        ...Object.fromEntries(SLOW_FIRST_TOKEN.map((each) => [each.upstream, FIRST_TOKEN_AFTER])),
      },
    });
  });
  after(async () => {
    await agent.close();
    await harness.close();
    await store.close();
  });

  function modelEntry(id: string): ModelEntry {
    const model = harness.config.models.find((entry) => entry.id === id);
    assert.ok(model, id);
    return model;
  }

  function streamBody(model: string, content: string): Record<string, unknown> {
    return {
      model,
      max_tokens: 1_000,
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content }],
    };
  }

  function holdFor(body: Record<string, unknown>, model: string): Hold {
    return computeHoldMicros({
      request: parseOpenaiChatRequest(body),
      model: modelEntry(model),
      exchangeRate: harness.config.billing.exchangeRate,
      defaultHoldOutputTokens: harness.config.billing.defaultHoldOutputTokens,
    });
  }

  function costOf(model: string, inputTokens: number, outputTokens: number): bigint {
    const pricing = modelEntry(model).pricing;
    assert.ok(pricing);
    return computeCostMicros({
      usage: createUsage({ inputTokens, outputTokens }),
      pricing,
      exchangeRate: harness.config.billing.exchangeRate,
    });
  }

  async function open(account: FundedAccount, body: Record<string, unknown>) {
    const controller = new AbortController();
    const response = await request(`${harness.baseUrl}/chat/completions`, {
      method: 'POST',
      dispatcher: agent,
      signal: controller.signal,
      headers: { authorization: `Bearer ${account.key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const requestId = response.headers['x-request-id'];
    assert.equal(typeof requestId, 'string');
    return { response, requestId: String(requestId), disconnect: () => controller.abort() };
  }

  async function usageRows(accountId: string): Promise<UsageRecord[]> {
    return store.listUsageRecords({
      from: new Date(Date.now() - 600_000),
      to: new Date(Date.now() + 60_000),
      accountId,
      limit: 1_000,
    });
  }

  /** Waits until the account has `count` usage rows, then a little longer to catch a second charge. */
  async function settledRows(accountId: string, count: number): Promise<UsageRecord[]> {
    const deadline = Date.now() + 10_000;
    while ((await usageRows(accountId)).length < count) {
      assert.ok(Date.now() < deadline, `fewer than ${count} usage rows after 10 s`);
      await delay(20);
    }
    await delay(150);
    const rows = await usageRows(accountId);
    assert.equal(rows.length, count);
    return rows;
  }

  async function assertLedgerClean(account: FundedAccount, rows: UsageRecord[]) {
    assert.equal(await store.countOpenHolds(), 0, 'no hold left open');
    assert.deepEqual(await store.checkLedger(new Date()), []);
    const charged = rows.reduce((sum, row) => sum + row.costMicros, 0n);
    const balance = await store.getBalance(account.accountId);
    assert.equal(balance.heldMicros, 0n);
    assert.equal(balance.postedMicros, FUNDS - charged, 'each row charged once, and only once');
  }

  test('C1: leaving after 5 chunks of a long answer is billed as an estimate of what was delivered', async () => {
    const account = await openFundedAccount({ store, name: 'c1', balanceMicros: FUNDS });
    const body = streamBody(SLOW_OPENAI, 'Tell me a long story. [simulate tokens=500]');
    const hold = holdFor(body, SLOW_OPENAI);
    const stream = await open(account, body);
    assert.equal(stream.response.statusCode, 200);
    const read = await readChatStream(stream.response.body, { stopAfterContentChunks: 5 });
    stream.disconnect();
    assert.equal(read.contentChunks, 5);

    const [row] = await settledRows(account.accountId, 1);
    assert.ok(row);
    assert.equal(row.requestId, stream.requestId);
    assert.equal(row.status, 'client_closed');
    assert.equal(row.errorCode, 'GW_ERR_CLIENT_CLOSED');
    assert.equal(row.estimated, true, 'OpenAI reports usage only at the end: none arrived');
    assert.equal(row.inputTokens, hold.promptTokens, 'input is the hold’s prompt estimate');
    // The gateway counts what it wrote; the client read 5 chunks of it. At 20 tokens/s a chunk
    // leaves every 50 ms and a close on loopback reaches the gateway within a few ms, so it may
    // have written at most one more one-word chunk (≤ 3 o200k tokens) before it stopped. The
    // simulator's chunks start with a space, so o200k splits at chunk borders and counts add up.
    const delivered = countOutputTokens(read.text);
    assert.ok(
      row.outputTokens >= delivered && row.outputTokens <= delivered + 3,
      `billed ${row.outputTokens} output tokens for ${delivered} delivered (${JSON.stringify(read.text)})`,
    );
    assert.ok(row.chunks >= 5 && row.chunks <= 6, `${row.chunks} chunks`);
    assert.ok(row.costMicros > 0n && row.costMicros <= hold.holdMicros);
    assert.equal(row.costMicros, costOf(SLOW_OPENAI, row.inputTokens, row.outputTokens));
    await waitUntil(
      () => harness.simulator.inFlightCount() === 0,
      'the upstream answer was aborted',
    );
    await assertLedgerClean(account, [row]);
  });

  test('D6: a provider that reports input tokens early (Anthropic message_start) is billed its count', async () => {
    const account = await openFundedAccount({ store, name: 'd6', balanceMicros: FUNDS });
    // Plain ASCII: the simulator counts 4 characters a token, the hold estimate 3 bytes a token.
    const content = `${'Summarise this sentence about billing accuracy. '.repeat(24)}[simulate tokens=500]`;
    const body = streamBody(SLOW_ANTHROPIC, content);
    const hold = holdFor(body, SLOW_ANTHROPIC);
    const providerInput = countPromptTokens(content.length);
    assert.ok(hold.promptTokens - providerInput > 100, 'premise: estimate and count differ');

    const stream = await open(account, body);
    assert.equal(stream.response.statusCode, 200);
    const read = await readChatStream(stream.response.body, { stopAfterContentChunks: 3 });
    stream.disconnect();

    const [row] = await settledRows(account.accountId, 1);
    assert.ok(row);
    assert.equal(row.status, 'client_closed');
    assert.equal(row.estimated, true, 'the final usage never arrived');
    assert.equal(row.inputTokens, providerInput, 'input from message_start, not the estimate');
    const delivered = countOutputTokens(read.text);
    assert.ok(row.outputTokens >= delivered && row.outputTokens <= delivered + 3);
    assert.equal(row.costMicros, costOf(SLOW_ANTHROPIC, providerInput, row.outputTokens));
    assert.ok(row.costMicros <= hold.holdMicros);
    await assertLedgerClean(account, [row]);
  });

  test('C7: 100 clients leaving mid-stream at once are each billed exactly once', async () => {
    const account = await openFundedAccount({ store, name: 'c7', balanceMicros: FUNDS });
    const body = streamBody(SLOW_OPENAI, 'A storm of leavers. [simulate tokens=500]');
    const hold = holdFor(body, SLOW_OPENAI);
    const streams = await Promise.all(
      Array.from({ length: 100 }, async () => {
        const stream = await open(account, body);
        assert.equal(stream.response.statusCode, 200);
        const read = await readChatStream(stream.response.body, { stopAfterContentChunks: 2 });
        return { ...stream, read };
      }),
    );
    for (const stream of streams) stream.disconnect();

    const rows = await settledRows(account.accountId, 100);
    assert.deepEqual(
      new Set(rows.map((row) => row.requestId)),
      new Set(streams.map((stream) => stream.requestId)),
    );
    for (const row of rows) {
      assert.equal(row.status, 'client_closed');
      assert.equal(row.estimated, true);
      assert.ok(row.outputTokens > 0 && row.costMicros > 0n && row.costMicros <= hold.holdMicros);
    }
    await assertLedgerClean(account, rows);
    await waitUntil(
      () => harness.simulator.inFlightCount() === 0,
      'every upstream answer was aborted',
    );
  });

  for (const slow of SLOW_FIRST_TOKEN) {
    test(`C2: leaving before the first byte (${slow.stage}) releases the hold and costs nothing`, async () => {
      const account = await openFundedAccount({
        store,
        name: `c2-${slow.model}`,
        balanceMicros: FUNDS,
      });
      const body = streamBody(slow.model, 'Slow to start. [simulate tokens=50]');
      const controller = new AbortController();
      const pending = request(`${harness.baseUrl}/chat/completions`, {
        method: 'POST',
        dispatcher: agent,
        signal: controller.signal,
        headers: { authorization: `Bearer ${account.key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const settled = pending.then(
        () => 'answered',
        () => 'aborted',
      );
      // The hold comes first, then the upstream call; leave once the simulator has the request
      // (and, for DeepSeek, a moment for its headers and first keep-alive to reach the gateway).
      await waitUntil(() => harness.simulator.inFlightCount() === 1, 'the upstream call is made');
      await delay(100);
      assert.ok((await store.getBalance(account.accountId)).heldMicros > 0n, 'the hold is placed');
      controller.abort();
      assert.equal(await settled, 'aborted', 'no byte of the answer had arrived');

      const [row] = await settledRows(account.accountId, 1);
      assert.ok(row);
      assert.equal(row.status, 'client_closed');
      assert.equal(row.costMicros, 0n);
      assert.equal(row.outputTokens, 0);
      assert.equal(row.inputTokens, 0);
      assert.equal(row.estimated, false);
      await assertLedgerClean(account, [row]);
      assert.equal((await store.getBalance(account.accountId)).availableMicros, FUNDS);
      await waitUntil(
        () => harness.simulator.inFlightCount() === 0,
        'the upstream call was aborted',
      );
    });
  }
});
