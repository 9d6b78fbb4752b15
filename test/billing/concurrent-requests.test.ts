import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Agent, request } from 'undici';
import * as z from 'zod';
import { computeHoldMicros, type Hold } from '../../src/accounting/compute-hold.ts';
import { formatMicros } from '../../src/accounting/format-micros.ts';
import { parseScaledDecimal } from '../../src/accounting/parse-scaled-decimal.ts';
import type { GatewayConfig } from '../../src/config/config-schema.ts';
import { openStore } from '../../src/storage/open-store.ts';
import type { Store } from '../../src/storage/store.ts';
import { parseOpenaiChatRequest } from '../../src/surfaces/openai/parse-openai-chat-request.ts';
import { safeParseJson } from '../../src/util/safe-parse-json.ts';
import {
  freshSchema,
  POSTGRES_TEST_URL,
  requirePostgres,
} from '../helpers/postgres-test-schema.ts';
import { readChatStream, unitsToMicros } from '../helpers/read-chat-stream.ts';
import {
  type BillingGateway,
  openFundedAccount,
  startBillingGateway,
} from '../helpers/start-billing-gateway.ts';

/**
 * Test plan D1: an account whose balance covers exactly 10 holds of one request, and a burst of
 * concurrent copies of that request through the real gateway, on a SQLite file and on PostgreSQL.
 *
 * The request asks for MAX_TOKENS and the simulator answers exactly that many, so each request
 * costs a little under its hold (the prompt is held at the byte estimate, billed at the simulator's
 * smaller count). Hence, whatever the interleaving:
 * - at least 10 are admitted: while fewer than 10 are admitted, posted − held ≥ one hold, because
 *   a settle lowers posted by its cost (≤ its hold) and held by the whole hold;
 * - at most ⌊balance ÷ cost⌋ are: no request costs more than its hold, so the account never
 *   overdraws (I3, I4), and the admitted requests' costs sum to at most the balance.
 * With cost > 10⁄11 of the hold, both bounds say exactly 10. A reserve that read then wrote would
 * admit more on an engine with concurrent writers, and the account would end below zero.
 */

const MODEL = 'gpt-4.1';
const MAX_TOKENS = 200;
const HOLDS_FUNDED = 10n;
const NON_STREAM_REQUESTS = 1_000;
const STREAM_REQUESTS = 200;

const errorBodySchema = z.object({
  error: z.object({ message: z.string(), type: z.string(), code: z.string() }),
});
const completionSchema = z.looseObject({
  usage: z.looseObject({ cost: z.number() }),
});

function requestBody(stream: boolean): Record<string, unknown> {
  return {
    model: MODEL,
    max_tokens: MAX_TOKENS,
    messages: [{ role: 'user', content: `Concurrency check. [simulate tokens=${MAX_TOKENS}]` }],
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  };
}

/** The hold the gateway places for this body, from its own config and pricing function. */
function holdFor(config: GatewayConfig, body: Record<string, unknown>): Hold {
  const model = config.models.find((entry) => entry.id === MODEL);
  assert.ok(model, `${MODEL} is in the catalogue`);
  return computeHoldMicros({
    request: parseOpenaiChatRequest(body),
    model,
    exchangeRate: config.billing.exchangeRate,
    defaultHoldOutputTokens: config.billing.defaultHoldOutputTokens,
  });
}

interface Outcome {
  status: number;
  /** What the client was told it was charged (header or stream usage), micro-units. */
  chargedMicros: bigint | undefined;
  body: string;
  done: boolean;
}

function registerBurstTests(engine: string, open: () => Promise<Store>): void {
  describe(`D1 on ${engine}: ${HOLDS_FUNDED} holds of credit, a burst of concurrent requests`, () => {
    let store: Store;
    let harness: BillingGateway;
    // One socket per request: the burst is truly concurrent, not queued in the client.
    const agent = new Agent({ connections: NON_STREAM_REQUESTS + 10, keepAliveTimeout: 2_000 });
    before(async () => {
      store = await open();
      harness = await startBillingGateway({ store });
    });
    after(async () => {
      await agent.close();
      await harness.close();
      await store.close();
    });

    async function send(key: string, stream: boolean): Promise<Outcome> {
      const response = await request(`${harness.baseUrl}/chat/completions`, {
        method: 'POST',
        dispatcher: agent,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(requestBody(stream)),
      });
      const isStream = String(response.headers['content-type']).startsWith('text/event-stream');
      if (response.statusCode === 200 && isStream) {
        const read = await readChatStream(response.body);
        const cost = read.usage?.cost;
        return {
          status: 200,
          chargedMicros: cost === undefined ? undefined : unitsToMicros(cost),
          body: read.error ?? '',
          done: read.done,
        };
      }
      const header = response.headers['x-shepherd-cost'];
      return {
        status: response.statusCode,
        chargedMicros: typeof header === 'string' ? parseScaledDecimal(header) : undefined,
        body: await response.body.text(),
        done: false,
      };
    }

    async function burst(stream: boolean, count: number): Promise<void> {
      const startedAt = new Date();
      const body = requestBody(stream);
      const hold = holdFor(harness.config, body);
      const balance = hold.holdMicros * HOLDS_FUNDED;
      const account = await openFundedAccount({
        store,
        name: `d1-${stream ? 'stream' : 'plain'}`,
        balanceMicros: balance,
      });

      const outcomes = await Promise.all(
        Array.from({ length: count }, () => send(account.key, stream)),
      );

      const admitted = outcomes.filter((outcome) => outcome.status === 200);
      const refused = outcomes.filter((outcome) => outcome.status === 402);
      assert.equal(
        admitted.length + refused.length,
        count,
        `only 200 and 402 expected, got ${[...new Set(outcomes.map((outcome) => outcome.status))].join(', ')}: ${outcomes.find((outcome) => outcome.status !== 200 && outcome.status !== 402)?.body}`,
      );
      const rows = await store.listUsageRecords({
        from: new Date(startedAt.getTime() - 60_000),
        to: new Date(Date.now() + 60_000),
        accountId: account.accountId,
        limit: 10_000,
      });
      assert.equal(rows.length, admitted.length, 'one usage row per admitted request');
      assert.ok(rows.every((row) => row.status === 'ok' && !row.estimated));
      for (const row of rows) {
        assert.ok(row.costMicros > 0n && row.costMicros <= hold.holdMicros, `${row.costMicros}`);
      }
      const rowCosts = rows.reduce((sum, row) => sum + row.costMicros, 0n);
      const reported = admitted.reduce((sum, outcome) => sum + (outcome.chargedMicros ?? 0n), 0n);
      const final = await store.getBalance(account.accountId);
      assert.equal(final.heldMicros, 0n, 'every hold was released');
      assert.equal(balance - final.postedMicros, rowCosts, 'the posted decrease is Σ usage costs');
      assert.equal(reported, rowCosts, 'clients were told exactly what was charged');
      assert.ok(final.availableMicros >= 0n, `no overdraft: ${final.availableMicros}`);

      // The bounds of the header comment, then what they imply here.
      let cheapest = balance;
      for (const row of rows) if (row.costMicros < cheapest) cheapest = row.costMicros;
      assert.ok(admitted.length >= Number(HOLDS_FUNDED), `${admitted.length} admitted`);
      assert.ok(
        BigInt(admitted.length) <= balance / cheapest,
        `${admitted.length} admitted, but the balance pays for only ${balance / cheapest}`,
      );
      assert.ok(cheapest * (HOLDS_FUNDED + 1n) > balance, 'premise: cost is over 10⁄11 of a hold');
      assert.equal(admitted.length, Number(HOLDS_FUNDED));

      assert.deepEqual(await store.checkLedger(new Date()), []);
      assert.equal(await store.countOpenHolds(), 0);

      const needed = formatMicros(hold.holdMicros, harness.config.billing.currency);
      for (const outcome of refused) {
        const parsed = safeParseJson(outcome.body);
        const error = errorBodySchema.parse(parsed.ok ? parsed.value : undefined).error;
        assert.equal(error.code, 'insufficient_balance');
        assert.equal(error.type, 'insufficient_balance');
        assert.match(error.message, /your available credit is ₩[\d,.]+/);
        assert.ok(error.message.includes(`needs up to ${needed} held`), error.message);
      }
      for (const outcome of admitted) {
        if (stream)
          assert.ok(outcome.done, `an admitted stream ends with [DONE] (${outcome.body})`);
        else {
          const parsed = safeParseJson(outcome.body);
          completionSchema.parse(parsed.ok ? parsed.value : undefined);
        }
        assert.notEqual(outcome.chargedMicros, undefined, 'an admitted request reports its cost');
      }
    }

    test(`${NON_STREAM_REQUESTS} concurrent non-streaming requests`, async () => {
      await burst(false, NON_STREAM_REQUESTS);
    });

    test(`${STREAM_REQUESTS} concurrent streaming requests with include_usage`, async () => {
      await burst(true, STREAM_REQUESTS);
    });
  });
}

const directory = mkdtempSync(join(tmpdir(), 'shepherd-d1-'));
after(() => rmSync(directory, { recursive: true, force: true }));
registerBurstTests('a SQLite file', () =>
  openStore({ url: `sqlite:${join(directory, 'shepherd.db')}` }),
);

if (await requirePostgres('D1 on PostgreSQL')) {
  const schema = await freshSchema('d1');
  registerBurstTests('PostgreSQL', () => openStore({ url: POSTGRES_TEST_URL, schema }));
}
