import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { SYSTEM_ACCOUNTS } from './ledger-store.ts';
import {
  balanceOf,
  type Clock,
  createClock,
  fundedAccount,
  type LedgerTestDatabase,
  START,
  unique,
  withOpenStore,
} from './ledger-test-kit.ts';
import type { Store } from './store.ts';
import {
  InsufficientBalanceError,
  LedgerConflictError,
  StoreConstraintError,
} from './store-errors.ts';

/** Balances, credits, entries and key policies; `database` is shared with other suites. */
export function registerCreditContract(database: () => LedgerTestDatabase): void {
  async function withStore(run: (store: Store, clock: Clock) => Promise<void>): Promise<void> {
    const clock = createClock();
    await withOpenStore(database(), clock, async (store) => {
      await run(store, clock);
      assert.deepEqual(await store.checkLedger(START), []);
    });
  }

  describe('ledger balances and credits', () => {
    test('a new account has a zero balance row; an unknown one reads as zero', async () => {
      await withStore(async (store) => {
        const account = await store.createAccount({ name: unique('fresh') });
        const ensured = await store.ensureAccount(unique('ensured'));
        const rows = await database().withDb((db) =>
          db
            .selectFrom('ledger_balances')
            .select('account_id')
            .where('account_id', 'in', [account.id, ensured.id])
            .execute(),
        );
        assert.equal(rows.length, 2);
        assert.deepEqual(await store.getBalance(account.id), balanceOf(0n, 0n));
        assert.deepEqual(await store.getBalance('acct_missing'), balanceOf(0n, 0n));
      });
    });

    test('an account without a balance row (made before the ledger) gets one lazily', async () => {
      await withStore(async (store) => {
        const account = await store.createAccount({ name: unique('legacy') });
        await database().withDb((db) =>
          db.deleteFrom('ledger_balances').where('account_id', '=', account.id).execute(),
        );
        const credited = await store.postCredit({
          kind: 'signup_bonus',
          accountId: account.id,
          amountMicros: 5_000n,
          idempotencyKey: unique('bonus'),
        });
        assert.deepEqual(credited.balance, balanceOf(5_000n, 0n));
      });
    });

    test('each credit kind moves money from its system account', async () => {
      await withStore(async (store) => {
        const before = await Promise.all(
          Object.values(SYSTEM_ACCOUNTS).map((id) => store.getBalance(id)),
        );
        const accountId = await fundedAccount(store, 0n);
        const post = (kind: 'top_up' | 'signup_bonus' | 'adjustment' | 'refund', amount: bigint) =>
          store.postCredit({
            kind,
            accountId,
            amountMicros: amount,
            idempotencyKey: unique(kind),
            actor: 'admin',
            reason: `${kind} test`,
          });
        assert.deepEqual((await post('top_up', 10_000n)).balance, balanceOf(10_000n, 0n));
        assert.deepEqual((await post('signup_bonus', 2_000n)).balance, balanceOf(12_000n, 0n));
        assert.deepEqual((await post('refund', 300n)).balance, balanceOf(12_300n, 0n));
        assert.deepEqual((await post('adjustment', -1_300n)).balance, balanceOf(11_000n, 0n));
        const after = await Promise.all(
          Object.values(SYSTEM_ACCOUNTS).map((id) => store.getBalance(id)),
        );
        const moved = after.map((balance, index) => {
          return balance.postedMicros - (before[index]?.postedMicros ?? 0n);
        });
        // externalFunding, promotions, adjustments, usageRevenue
        assert.deepEqual(moved, [-10_000n, -2_000n, 1_300n, -300n]);
      });
    });

    test('the same idempotency key credits once; another payload is a conflict', async () => {
      await withStore(async (store) => {
        const accountId = await fundedAccount(store, 0n);
        const other = await fundedAccount(store, 0n);
        const input = {
          kind: 'top_up' as const,
          accountId,
          amountMicros: 7_000n,
          idempotencyKey: unique('payment'),
        };
        const first = await store.postCredit(input);
        assert.equal(first.status, 'posted');
        const again = await store.postCredit({ ...input, reason: 'retried webhook' });
        assert.deepEqual(again, { ...first, status: 'duplicate' });
        for (const changed of [
          { ...input, amountMicros: 7_001n },
          { ...input, kind: 'signup_bonus' as const },
          { ...input, accountId: other },
        ]) {
          await assert.rejects(
            store.postCredit(changed),
            (error) =>
              error instanceof LedgerConflictError && error.transactionId === first.transactionId,
          );
        }
        assert.deepEqual(await store.getBalance(accountId), balanceOf(7_000n, 0n));
        assert.deepEqual(await store.getBalance(other), balanceOf(0n, 0n));
      });
    });

    test('amounts are checked: zero never, negative only for an adjustment', async () => {
      await withStore(async (store) => {
        const accountId = await fundedAccount(store, 1_000n);
        const credit = (kind: 'top_up' | 'refund' | 'adjustment', amountMicros: bigint) =>
          store.postCredit({ kind, accountId, amountMicros, idempotencyKey: unique('bad') });
        await assert.rejects(credit('top_up', 0n), RangeError);
        await assert.rejects(credit('adjustment', 0n), RangeError);
        await assert.rejects(credit('top_up', -5n), RangeError);
        await assert.rejects(credit('refund', -5n), RangeError);
        assert.deepEqual(await store.getBalance(accountId), balanceOf(1_000n, 0n));
      });
    });

    test('a debit beyond the available balance is refused and writes nothing', async () => {
      await withStore(async (store) => {
        const accountId = await fundedAccount(store, 1_000n);
        await store.reserveCredit({
          requestId: unique('req'),
          accountId,
          keyId: 'key_x',
          amountMicros: 400n,
          expiresAt: new Date(START.getTime() + 60_000),
        });
        const key = unique('debit');
        await assert.rejects(
          store.postCredit({
            kind: 'adjustment',
            accountId,
            amountMicros: -601n,
            idempotencyKey: key,
          }),
          (error) =>
            error instanceof InsufficientBalanceError && error.balance.availableMicros === 600n,
        );
        const exact = await store.postCredit({
          kind: 'adjustment',
          accountId,
          amountMicros: -600n,
          idempotencyKey: key,
        });
        assert.deepEqual(exact.balance, balanceOf(400n, 400n));
      });
    });

    test('credits to an unknown account fail with a foreign-key error', async () => {
      await withStore(async (store) => {
        await assert.rejects(
          store.postCredit({
            kind: 'top_up',
            accountId: 'acct_missing',
            amountMicros: 1n,
            idempotencyKey: unique('ghost'),
          }),
          (error) => error instanceof StoreConstraintError && error.constraint === 'foreign-key',
        );
      });
    });

    test('listLedgerEntries: the account side, newest first, with transaction details', async () => {
      await withStore(async (store, clock) => {
        const accountId = await fundedAccount(store, 0n);
        const top = await store.postCredit({
          kind: 'top_up',
          accountId,
          amountMicros: 900n,
          idempotencyKey: unique('top'),
          actor: 'admin@example.com',
          reason: 'bank transfer',
        });
        clock.advance(1_000);
        const bonus = await store.postCredit({
          kind: 'signup_bonus',
          accountId,
          amountMicros: 100n,
          idempotencyKey: unique('bonus'),
        });
        const entries = await store.listLedgerEntries({ accountId, limit: 10 });
        assert.deepEqual(entries, [
          {
            transactionId: bonus.transactionId,
            kind: 'signup_bonus',
            amountMicros: 100n,
            requestId: null,
            actor: null,
            reason: null,
            createdAt: new Date(START.getTime() + 1_000),
          },
          {
            transactionId: top.transactionId,
            kind: 'top_up',
            amountMicros: 900n,
            requestId: null,
            actor: 'admin@example.com',
            reason: 'bank transfer',
            createdAt: START,
          },
        ]);
        assert.equal((await store.listLedgerEntries({ accountId, limit: 1 })).length, 1);
      });
    });

    test('entries and transactions are append-only (I9)', async () => {
      await withStore(async (store) => {
        const accountId = await fundedAccount(store, 50n);
        await database().withDb(async (db) => {
          await assert.rejects(
            sql`update ledger_entries set amount_micros = 1 where account_id = ${accountId}`.execute(
              db,
            ),
            /append-only/,
          );
          await assert.rejects(
            sql`delete from ledger_entries where account_id = ${accountId}`.execute(db),
            /append-only/,
          );
          await assert.rejects(
            sql`delete from ledger_transactions where account_id = ${accountId}`.execute(db),
            /append-only/,
          );
        });
        assert.deepEqual(await store.getBalance(accountId), balanceOf(50n, 0n));
      });
    });

    test('API key policy: cap, allowed models and expiry round-trip', async () => {
      await withStore(async (store) => {
        const account = await store.createAccount({ name: unique('policy') });
        const key = await store.insertApiKey({
          accountId: account.id,
          name: 'default',
          prefix: 'sk-shep-Pol1',
          lastFour: 'abcd',
          keyHash: randomBytes(32).toString('hex'),
        });
        assert.deepEqual(await store.getApiKeyPolicy(key.id), {
          monthlySpendCapMicros: null,
          allowedModels: null,
          expiresAt: null,
        });
        const policy = {
          monthlySpendCapMicros: 9_007_199_254_740_993n,
          allowedModels: ['model-a', 'model-"b"'],
          expiresAt: new Date('2031-02-03T04:05:06.789Z'),
        };
        assert.equal(await store.setApiKeyPolicy(key.id, policy), true);
        assert.deepEqual(await store.getApiKeyPolicy(key.id), policy);
        const cleared = { monthlySpendCapMicros: null, allowedModels: [], expiresAt: null };
        await store.setApiKeyPolicy(key.id, cleared);
        assert.deepEqual(await store.getApiKeyPolicy(key.id), cleared);
        assert.equal(await store.getApiKeyPolicy('key_missing'), undefined);
        assert.equal(await store.setApiKeyPolicy('key_missing', cleared), false);
        await assert.rejects(
          store.setApiKeyPolicy(key.id, { ...cleared, monthlySpendCapMicros: -1n }),
          RangeError,
        );
      });
    });
  });
}
