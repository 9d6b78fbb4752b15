import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Kysely, SqliteAdapter, sql } from 'kysely';
import type { Database } from './database-schema.ts';
import { usageIdempotencyKey } from './ledger-idempotency-keys.ts';
import { type LedgerViolation, SYSTEM_ACCOUNTS } from './ledger-store.ts';
import {
  createClock,
  fundedAccount,
  type LedgerTestDatabase,
  START,
  unique,
  usageRecord,
} from './ledger-test-kit.ts';
import { toUsageRow } from './map-usage-rows.ts';
import type { Store } from './store.ts';

const LATER = new Date(START.getTime() + 60_000);

interface Breach {
  name: string;
  invariant: LedgerViolation['invariant'];
  /** Sound history written through the store first, which the check must find clean. */
  prepare?(store: Store, accountId: string): Promise<void>;
  /** Writes the bad rows; returns a string the violation's detail must contain. */
  plant(db: Kysely<Database>, accountId: string): Promise<string>;
}

/** A usage transaction gets its request's key, as a settle writes it, unless `idemKey` says. */
async function insertTransaction(
  db: Kysely<Database>,
  accountId: string,
  kind: 'usage' | 'top_up' | 'adjustment' | 'refund',
  requestId: string | null,
  idemKey = kind === 'usage' && requestId !== null
    ? usageIdempotencyKey(requestId)
    : unique('planted'),
  payloadHash = 'planted',
) {
  const id = unique('txn');
  await db
    .insertInto('ledger_transactions')
    .values({
      id,
      kind,
      account_id: accountId,
      idem_key: idemKey,
      payload_hash: payloadHash,
      request_id: requestId,
      actor: null,
      reason: null,
      created_at: START.toISOString(),
    })
    .execute();
  return id;
}

async function insertHold(
  db: Kysely<Database>,
  accountId: string,
  state: 'open' | 'settled' | 'expired',
  resolvedAt: string | null,
  expiresAt = LATER,
  amountMicros = 100n,
) {
  const requestId = unique('hold');
  await db
    .insertInto('ledger_holds')
    .values({
      request_id: requestId,
      account_id: accountId,
      key_id: 'key_planted',
      amount_micros: amountMicros,
      state,
      created_at: START.toISOString(),
      expires_at: expiresAt.toISOString(),
      resolved_at: resolvedAt,
    })
    .execute();
  return requestId;
}

const BREACHES: Breach[] = [
  {
    name: 'an unbalanced transaction',
    invariant: 'I1',
    async plant(db, accountId) {
      const id = await insertTransaction(db, accountId, 'top_up', null);
      await db
        .insertInto('ledger_entries')
        .values({
          txn_id: id,
          account_id: accountId,
          amount_micros: 5n,
          created_at: START.toISOString(),
        })
        .execute();
      return id;
    },
  },
  {
    name: 'a cached posted balance off its entries',
    invariant: 'I2',
    async plant(db, accountId) {
      await sql`update ledger_balances set posted_micros = posted_micros + 7
        where account_id = ${accountId}`.execute(db);
      return `${accountId} caches posted`;
    },
  },
  {
    name: 'a cached held balance off its open holds',
    invariant: 'I2',
    async plant(db, accountId) {
      await sql`update ledger_balances set held_micros = held_micros + 3
        where account_id = ${accountId}`.execute(db);
      return `${accountId} caches held`;
    },
  },
  {
    name: 'holds beyond the balance with no overage to explain them',
    invariant: 'I3',
    async plant(db, accountId) {
      await insertHold(db, accountId, 'open', null, LATER, 1_500n);
      await sql`update ledger_balances set held_micros = held_micros + 1500
        where account_id = ${accountId}`.execute(db);
      return accountId;
    },
  },
  {
    // Once an overage is paid back, it no longer lets the account sit below 0.
    name: 'a debit below zero after an overage was paid back',
    invariant: 'I3',
    async prepare(store, accountId) {
      const requestId = unique('overage');
      await store.reserveCredit({
        requestId,
        accountId,
        keyId: 'key_planted',
        amountMicros: 1_000n,
        expiresAt: LATER,
      });
      // Usage above the hold (I4): available −1000, all of it overage.
      await store.settleUsage({ usage: usageRecord({ requestId, accountId, costMicros: 2_000n }) });
      for (const amountMicros of [400n, 600n]) {
        await store.postCredit({
          kind: 'top_up',
          accountId,
          amountMicros,
          idempotencyKey: unique('repay'),
        });
      }
    },
    async plant(db, accountId) {
      // A balanced debit that skipped postCredit's available-balance check.
      const id = await insertTransaction(db, accountId, 'adjustment', null);
      await db
        .insertInto('ledger_entries')
        .values([
          {
            txn_id: id,
            account_id: accountId,
            amount_micros: -1_000n,
            created_at: START.toISOString(),
          },
          {
            txn_id: id,
            account_id: SYSTEM_ACCOUNTS.adjustments,
            amount_micros: 1_000n,
            created_at: START.toISOString(),
          },
        ])
        .execute();
      await sql`update ledger_balances set posted_micros = posted_micros - 1000
        where account_id = ${accountId}`.execute(db);
      await sql`update ledger_balances set posted_micros = posted_micros + 1000
        where account_id = ${SYSTEM_ACCOUNTS.adjustments}`.execute(db);
      return `${accountId} has -1000 available`;
    },
  },
  {
    name: 'an estimated cost above its hold',
    invariant: 'I4',
    async prepare(store, accountId) {
      // Sound: the estimate is capped at the hold; the rest is a failed attempt the provider billed.
      const requestId = unique('billed-retry');
      await store.reserveCredit({
        requestId,
        accountId,
        keyId: 'key_planted',
        amountMicros: 100n,
        expiresAt: LATER,
      });
      await store.settleUsage({
        usage: {
          ...usageRecord({ requestId, accountId, costMicros: 160n }),
          estimated: true,
          attempts: JSON.stringify([
            { modelId: 'model-a', outcome: 'error', costMicros: '60' },
            { modelId: 'model-b', outcome: 'ok' },
          ]),
        },
      });
    },
    async plant(db, accountId) {
      const requestId = await insertHold(db, accountId, 'settled', START.toISOString());
      const usage = {
        ...usageRecord({ requestId, accountId, costMicros: 160n }),
        estimated: true,
        attempts: JSON.stringify([
          { modelId: 'model-a', outcome: 'error', costMicros: '59' },
          { modelId: 'model-b', outcome: 'ok' },
        ]),
      };
      await db.insertInto('usage_records').values(toUsageRow(usage)).execute();
      return requestId;
    },
  },
  {
    name: 'a usage record without its transaction',
    invariant: 'I5',
    async plant(db, accountId) {
      const usage = usageRecord({ requestId: unique('orphan'), accountId, costMicros: 0n });
      await db.insertInto('usage_records').values(toUsageRow(usage)).execute();
      return usage.requestId;
    },
  },
  {
    name: 'a usage transaction without its record',
    invariant: 'I5',
    async plant(db, accountId) {
      const requestId = unique('unrecorded');
      await insertTransaction(db, accountId, 'usage', requestId);
      return requestId;
    },
  },
  {
    name: 'a usage transaction whose key names another request',
    invariant: 'I5',
    async plant(db, accountId) {
      const requestId = unique('rekeyed');
      const usage = usageRecord({ requestId, accountId, costMicros: 0n });
      await db.insertInto('usage_records').values(toUsageRow(usage)).execute();
      await insertTransaction(
        db,
        accountId,
        'usage',
        requestId,
        usageIdempotencyKey(unique('other')),
      );
      return requestId;
    },
  },
  {
    name: 'a settled hold that was never charged',
    invariant: 'I5',
    async plant(db, accountId) {
      return insertHold(db, accountId, 'settled', START.toISOString());
    },
  },
  {
    name: 'a resolved hold without resolved_at',
    invariant: 'I6',
    async plant(db, accountId) {
      return insertHold(db, accountId, 'expired', null);
    },
  },
  {
    name: 'an open hold whose request was settled',
    invariant: 'I6',
    async plant(db, accountId) {
      const requestId = await insertHold(db, accountId, 'open', null);
      await insertTransaction(db, accountId, 'usage', requestId);
      return requestId;
    },
  },
  {
    name: 'an open hold past its expiry',
    invariant: 'I7',
    async plant(db, accountId) {
      return insertHold(db, accountId, 'open', null, new Date(START.getTime() - 1));
    },
  },
  {
    name: 'a credit without its payload hash',
    invariant: 'I8',
    async plant(db, accountId) {
      return insertTransaction(db, accountId, 'refund', null, unique('planted'), '');
    },
  },
  {
    name: 'a usage record whose charge differs from its cost',
    invariant: 'I10',
    async plant(db, accountId) {
      const usage = usageRecord({ requestId: unique('mischarged'), accountId, costMicros: 10n });
      await db.insertInto('usage_records').values(toUsageRow(usage)).execute();
      await insertTransaction(db, accountId, 'usage', usage.requestId);
      return usage.requestId;
    },
  },
  {
    // Each request's charge equals its cost and the totals agree; only the months differ.
    name: 'a usage record in another month than its charge',
    invariant: 'I10',
    async prepare(store, accountId) {
      const requestId = unique('moved');
      await store.reserveCredit({
        requestId,
        accountId,
        keyId: 'key_planted',
        amountMicros: 300n,
        expiresAt: LATER,
      });
      await store.settleUsage({ usage: usageRecord({ requestId, accountId, costMicros: 300n }) });
    },
    async plant(db, accountId) {
      await sql`update usage_records set created_at = '2029-11-30T23:59:59.999Z'
        where account_id = ${accountId}`.execute(db);
      return 'usage records of 2029-11 total 300, usage entries of 2029-11 charged 0';
    },
  },
  {
    // Last: the database keeps no append-only protection of its entries after it.
    name: 'entries no longer refused a DELETE',
    invariant: 'I9',
    async plant(db) {
      const engine = db.getExecutor().adapter instanceof SqliteAdapter ? 'sqlite' : 'postgres';
      await sql`${sql.raw(
        engine === 'sqlite'
          ? 'drop trigger ledger_entries_no_delete'
          : 'drop trigger ledger_entries_append_only on ledger_entries',
      )}`.execute(db);
      return 'ledger_entries accepts DELETE';
    },
  },
];

/**
 * checkLedger finds each planted breach, named by the right invariant. Breaches accumulate in one
 * dedicated database; each is told apart by the fresh account or request id its detail names.
 */
export function registerBreachContract(createDatabase: () => Promise<LedgerTestDatabase>): void {
  test('checkLedger reports planted breaches with the right invariant', async () => {
    const database = await createDatabase();
    const store = await database.open({ now: createClock().now });
    try {
      assert.deepEqual(await store.checkLedger(START), []);
      for (const breach of BREACHES) {
        const accountId = await fundedAccount(store, 1_000n);
        await breach.prepare?.(store, accountId);
        const before = await store.checkLedger(START);
        assert.ok(
          !before.some((violation) => violation.detail.includes(accountId)),
          `${breach.name}: expected nothing before planting, got ${JSON.stringify(before)}`,
        );
        const marker = await database.withDb((db) => breach.plant(db, accountId));
        const found = await store.checkLedger(START);
        assert.ok(
          found.some(
            (violation) =>
              violation.invariant === breach.invariant && violation.detail.includes(marker),
          ),
          `${breach.name}: expected ${breach.invariant} mentioning ${marker}, got ${JSON.stringify(found)}`,
        );
      }
    } finally {
      await store.close();
    }
  });
}
