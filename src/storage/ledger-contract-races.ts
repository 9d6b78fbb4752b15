import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import {
  balanceOf,
  createClock,
  fundedAccount,
  type LedgerTestDatabase,
  START,
  unique,
  usageRecord,
} from './ledger-test-kit.ts';
import type { Store } from './store.ts';

const HOLD = 1_000n;
const inOneMinute = new Date(START.getTime() + 60_000);

function countStatuses(results: Array<{ status: string }>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const result of results) counts[result.status] = (counts[result.status] ?? 0) + 1;
  return counts;
}

/**
 * Many concurrent callers on two stores (two SQLite connections to one file, or two PostgreSQL
 * pools): the invariants must hold however the calls interleave. `database` is shared.
 */
export function registerRaceContract(database: () => LedgerTestDatabase): void {
  async function withTwoStores(run: (stores: [Store, Store]) => Promise<void>): Promise<void> {
    const clock = createClock();
    const first = await database().open({ now: clock.now, maxConnections: 8 });
    const second = await database().open({ now: clock.now, maxConnections: 8 });
    try {
      await run([first, second]);
      assert.deepEqual(await first.checkLedger(START), []);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  }

  /** Calls `attempt` `count` times at once, alternating between the two stores. */
  function race<T>(
    stores: [Store, Store],
    count: number,
    attempt: (store: Store, index: number) => Promise<T>,
  ) {
    return Promise.all(
      Array.from({ length: count }, (_, index) =>
        attempt(index % 2 === 0 ? stores[0] : stores[1], index),
      ),
    );
  }

  describe('ledger races', () => {
    test('200 concurrent reserves against 10 holds of balance: exactly 10 succeed', async () => {
      await withTwoStores(async (stores) => {
        const accountId = await fundedAccount(stores[0], 10n * HOLD);
        const results = await race(stores, 200, (store) =>
          store.reserveCredit({
            requestId: unique('race'),
            accountId,
            keyId: 'key_race',
            amountMicros: HOLD,
            expiresAt: inOneMinute,
          }),
        );
        assert.deepEqual(countStatuses(results), { reserved: 10, insufficient_balance: 190 });
        assert.deepEqual(await stores[1].getBalance(accountId), balanceOf(10n * HOLD, 10n * HOLD));
      });
    });

    test('200 concurrent reserves against a key cap of 10 holds: exactly 10 succeed', async () => {
      await withTwoStores(async (stores) => {
        const accountId = await fundedAccount(stores[0], 1_000n * HOLD);
        const key = await stores[0].insertApiKey({
          accountId,
          name: 'raced',
          prefix: 'sk-shep-Race',
          lastFour: 'race',
          keyHash: randomBytes(32).toString('hex'),
        });
        const results = await race(stores, 200, (store) =>
          store.reserveCredit({
            requestId: unique('race'),
            accountId,
            keyId: key.id,
            amountMicros: HOLD,
            expiresAt: inOneMinute,
            keyMonthlyCap: { capMicros: 10n * HOLD, periodStart: START },
          }),
        );
        assert.deepEqual(countStatuses(results), { reserved: 10, key_cap_exceeded: 190 });
        assert.deepEqual(
          await stores[1].getBalance(accountId),
          balanceOf(1_000n * HOLD, 10n * HOLD),
        );
      });
    });

    test('50 concurrent redemptions of one code: exactly one credits', async () => {
      await withTwoStores(async (stores) => {
        const codeHash = unique('code');
        await stores[0].createVoucherBatch({
          name: 'race',
          amountMicros: 777n,
          codes: [{ codeHash, codeLastFour: 'RACE' }],
          createdBy: 'test',
        });
        const even = await fundedAccount(stores[0], 0n);
        const odd = await fundedAccount(stores[0], 0n);
        const results = await race(stores, 50, (store, index) =>
          store.redeemVoucher({ codeHash, accountId: index % 2 === 0 ? even : odd, now: START }),
        );
        assert.deepEqual(countStatuses(results), { redeemed: 1, already_redeemed: 49 });
        const credited = [await stores[1].getBalance(even), await stores[1].getBalance(odd)];
        assert.deepEqual(credited.map((balance) => balance.postedMicros).sort(), [0n, 777n]);
      });
    });

    test('20 concurrent credits with one idempotency key: one posts', async () => {
      await withTwoStores(async (stores) => {
        const accountId = await fundedAccount(stores[0], 0n);
        const idempotencyKey = unique('pay');
        const results = await race(stores, 20, (store) =>
          store.postCredit({ kind: 'top_up', accountId, amountMicros: 4_200n, idempotencyKey }),
        );
        assert.deepEqual(countStatuses(results), { posted: 1, duplicate: 19 });
        assert.equal(new Set(results.map((result) => result.transactionId)).size, 1);
        assert.deepEqual(await stores[1].getBalance(accountId), balanceOf(4_200n, 0n));
      });
    });

    test('20 concurrent settles of one request: one charges', async () => {
      await withTwoStores(async (stores) => {
        const accountId = await fundedAccount(stores[0], 5_000n);
        const requestId = unique('req');
        await stores[0].reserveCredit({
          requestId,
          accountId,
          keyId: 'key_race',
          amountMicros: 2_000n,
          expiresAt: inOneMinute,
        });
        const usage = usageRecord({ requestId, accountId, costMicros: 1_500n });
        const results = await race(stores, 20, (store) => store.settleUsage({ usage }));
        assert.deepEqual(countStatuses(results), { settled: 1, already_settled: 19 });
        assert.deepEqual(await stores[1].getBalance(accountId), balanceOf(3_500n, 0n));
      });
    });
  });
}
