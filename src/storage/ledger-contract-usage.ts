import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { SYSTEM_ACCOUNTS } from './ledger-store.ts';
import {
  balanceOf,
  type Clock,
  createClock,
  fundedAccount,
  type LedgerTestDatabase,
  START,
  unique,
  usageRecord,
  withOpenStore,
} from './ledger-test-kit.ts';
import type { Store } from './store.ts';
import { StoreConstraintError } from './store-errors.ts';

const MINUTE = 60_000;
const inOneMinute = new Date(START.getTime() + MINUTE);

/** Reserve → settle, expiry, key caps and usage reports; `database` is shared with other suites. */
export function registerUsageContract(database: () => LedgerTestDatabase): void {
  async function withStore(run: (store: Store, clock: Clock) => Promise<void>): Promise<void> {
    const clock = createClock();
    await withOpenStore(database(), clock, async (store) => {
      await run(store, clock);
      assert.deepEqual(await store.checkLedger(START), []);
    });
  }

  function reserve(
    store: Store,
    accountId: string,
    amountMicros: bigint,
    requestId = unique('req'),
  ) {
    return store.reserveCredit({
      requestId,
      accountId,
      keyId: 'key_test',
      amountMicros,
      expiresAt: inOneMinute,
    });
  }

  describe('ledger holds and usage', () => {
    test('reserve holds credit up to exactly the available balance', async () => {
      await withStore(async (store) => {
        const accountId = await fundedAccount(store, 1_000n);
        assert.deepEqual(await reserve(store, accountId, 600n), {
          status: 'reserved',
          balance: balanceOf(1_000n, 600n),
        });
        assert.deepEqual(await reserve(store, accountId, 401n), {
          status: 'insufficient_balance',
          balance: balanceOf(1_000n, 600n),
        });
        assert.deepEqual(await reserve(store, accountId, 400n), {
          status: 'reserved',
          balance: balanceOf(1_000n, 1_000n),
        });
        assert.equal((await reserve(store, accountId, 1n)).status, 'insufficient_balance');
        assert.equal((await reserve(store, accountId, 0n)).status, 'reserved');
        await assert.rejects(reserve(store, accountId, -1n), RangeError);
      });
    });

    test('a request id holds once; a repeat changes nothing', async () => {
      await withStore(async (store) => {
        const accountId = await fundedAccount(store, 1_000n);
        const requestId = unique('req');
        await reserve(store, accountId, 100n, requestId);
        assert.deepEqual(await reserve(store, accountId, 300n, requestId), {
          status: 'duplicate_request',
        });
        assert.deepEqual(await store.getBalance(accountId), balanceOf(1_000n, 100n));
      });
    });

    test('a repeat is a duplicate before any cap or balance check; a refusal holds nothing', async () => {
      await withStore(async (store) => {
        const accountId = await fundedAccount(store, 1_000n);
        const requestId = unique('req');
        const capped = (amountMicros: bigint, id: string) =>
          store.reserveCredit({
            requestId: id,
            accountId,
            keyId: 'key_capped',
            amountMicros,
            expiresAt: inOneMinute,
            keyMonthlyCap: { capMicros: 950n, periodStart: START },
          });
        assert.equal((await capped(900n, requestId)).status, 'reserved');
        for (const amountMicros of [100n, 500n]) {
          assert.deepEqual(await capped(amountMicros, requestId), { status: 'duplicate_request' });
        }
        assert.deepEqual(await reserve(store, accountId, 500n, requestId), {
          status: 'duplicate_request',
        });
        await store.settleUsage({ usage: usageRecord({ requestId, accountId, costMicros: 50n }) });
        assert.deepEqual(await reserve(store, accountId, 5_000n, requestId), {
          status: 'duplicate_request',
        });
        const refused = unique('req');
        assert.equal(
          (await reserve(store, accountId, 951n, refused)).status,
          'insufficient_balance',
        );
        assert.equal((await capped(951n, refused)).status, 'key_cap_exceeded');
        assert.deepEqual(await reserve(store, accountId, 950n, refused), {
          status: 'reserved',
          balance: balanceOf(950n, 950n),
        });
      });
    });

    test('an account without a balance row gets one on reserve and on settle', async () => {
      await withStore(async (store) => {
        const reserving = await store.createAccount({ name: unique('legacy') });
        const settling = await store.createAccount({ name: unique('legacy') });
        const dropBalanceRows = () =>
          database().withDb((db) =>
            db
              .deleteFrom('ledger_balances')
              .where('account_id', 'in', [reserving.id, settling.id])
              .execute(),
          );
        await dropBalanceRows();
        assert.deepEqual(await reserve(store, reserving.id, 0n), {
          status: 'reserved',
          balance: balanceOf(0n, 0n),
        });
        const usage = usageRecord({
          requestId: unique('req'),
          accountId: settling.id,
          costMicros: 0n,
        });
        assert.deepEqual(await store.settleUsage({ usage }), {
          status: 'settled',
          balance: balanceOf(0n, 0n),
        });
        const rows = await database().withDb((db) =>
          db
            .selectFrom('ledger_balances')
            .select('account_id')
            .where('account_id', 'in', [reserving.id, settling.id])
            .execute(),
        );
        assert.equal(rows.length, 2);
      });
    });

    test('reserving for an unknown account fails with a foreign-key error', async () => {
      await withStore(async (store) => {
        await assert.rejects(
          reserve(store, 'acct_missing', 1n),
          (error) => error instanceof StoreConstraintError && error.constraint === 'foreign-key',
        );
      });
    });

    test('settle below the hold releases it all and charges the cost once', async () => {
      await withStore(async (store) => {
        const revenueBefore = (await store.getBalance(SYSTEM_ACCOUNTS.usageRevenue)).postedMicros;
        const accountId = await fundedAccount(store, 1_000n);
        const requestId = unique('req');
        await reserve(store, accountId, 500n, requestId);
        const usage = usageRecord({ requestId, accountId, costMicros: 123n });
        assert.deepEqual(await store.settleUsage({ usage }), {
          status: 'settled',
          balance: balanceOf(877n, 0n),
        });
        assert.deepEqual(await store.settleUsage({ usage: { ...usage, costMicros: 999n } }), {
          status: 'already_settled',
          balance: balanceOf(877n, 0n),
        });
        const revenue = (await store.getBalance(SYSTEM_ACCOUNTS.usageRevenue)).postedMicros;
        assert.equal(revenue - revenueBefore, 123n);
        assert.deepEqual(await reserve(store, accountId, 1n, requestId), {
          status: 'duplicate_request',
        });
        const [charge] = await store.listLedgerEntries({ accountId, limit: 1 });
        assert.equal(charge?.kind, 'usage');
        assert.equal(charge?.amountMicros, -123n);
        assert.equal(charge?.requestId, requestId);
      });
    });

    test('settle above the hold charges in full: the one overdraft (I4)', async () => {
      await withStore(async (store) => {
        const accountId = await fundedAccount(store, 1_000n);
        const requestId = unique('req');
        await reserve(store, accountId, 1_000n, requestId);
        const usage = usageRecord({ requestId, accountId, costMicros: 1_250n });
        assert.deepEqual(await store.settleUsage({ usage }), {
          status: 'settled',
          balance: balanceOf(-250n, 0n),
        });
        assert.deepEqual(await reserve(store, accountId, 1n), {
          status: 'insufficient_balance',
          balance: balanceOf(-250n, 0n),
        });
        // Blocked from spending, not from what costs nothing: a free model's hold of 0 fits.
        assert.deepEqual(await reserve(store, accountId, 0n), {
          status: 'reserved',
          balance: balanceOf(-250n, 0n),
        });
      });
    });

    test('a zero-cost request resolves its hold, records usage, and settles once', async () => {
      await withStore(async (store) => {
        const accountId = await fundedAccount(store, 1_000n);
        const requestId = unique('req');
        await reserve(store, accountId, 300n, requestId);
        const usage = usageRecord({ requestId, accountId, costMicros: 0n });
        assert.deepEqual(await store.settleUsage({ usage }), {
          status: 'settled',
          balance: balanceOf(1_000n, 0n),
        });
        assert.equal((await store.settleUsage({ usage })).status, 'already_settled');
        const records = await store.listUsageRecords({ from: START, to: inOneMinute, accountId });
        assert.deepEqual(records, [usage]);
        assert.equal((await store.listLedgerEntries({ accountId, limit: 5 })).length, 1);
        await assert.rejects(
          store.settleUsage({ usage: { ...usage, requestId: unique('req'), costMicros: -1n } }),
          RangeError,
        );
      });
    });

    test('settling after the hold expired still charges exactly once', async () => {
      await withStore(async (store, clock) => {
        const accountId = await fundedAccount(store, 1_000n);
        const requestId = unique('req');
        await reserve(store, accountId, 400n, requestId);
        clock.advance(2 * MINUTE);
        assert.ok((await store.expireHolds(clock.now())) >= 1);
        assert.deepEqual(await store.getBalance(accountId), balanceOf(1_000n, 0n));
        const usage = usageRecord({ requestId, accountId, costMicros: 350n });
        assert.deepEqual(await store.settleUsage({ usage }), {
          status: 'settled',
          balance: balanceOf(650n, 0n),
        });
        assert.equal((await store.settleUsage({ usage })).status, 'already_settled');
        assert.equal(await store.expireHolds(clock.now()), 0);
      });
    });

    test('expireHolds takes only holds past their expiry and is idempotent', async () => {
      await withStore(async (store) => {
        const accountId = await fundedAccount(store, 1_000n);
        const soon = new Date(START.getTime() + 10_000);
        const later = new Date(START.getTime() + 20_000);
        const openBefore = await store.countOpenHolds();
        for (const [amount, expiresAt] of [
          [100n, soon],
          [200n, later],
        ] as const) {
          await store.reserveCredit({
            requestId: unique('req'),
            accountId,
            keyId: 'key_test',
            amountMicros: amount,
            expiresAt,
          });
        }
        assert.equal(await store.countOpenHolds(), openBefore + 2);
        // Other suites' holds expire at START + 1 minute, after both of these.
        assert.equal(await store.expireHolds(soon), 0);
        assert.equal(await store.expireHolds(new Date(soon.getTime() + 1)), 1);
        assert.deepEqual(await store.getBalance(accountId), balanceOf(1_000n, 200n));
        assert.equal(await store.countOpenHolds(), openBefore + 1);
        assert.equal(await store.expireHolds(new Date(soon.getTime() + 1)), 0);
        assert.equal(await store.expireHolds(new Date(later.getTime() + 1)), 1);
        assert.deepEqual(await store.getBalance(accountId), balanceOf(1_000n, 0n));
        assert.equal(await store.countOpenHolds(), openBefore);
      });
    });

    test('voidAbandonedHolds releases only the named owner’s holds made before the cut-off', async () => {
      await withStore(async (store, clock) => {
        const accountId = await fundedAccount(store, 1_000n);
        const owner = unique('instance');
        const hold = (amountMicros: bigint, holdOwner: string) =>
          store.reserveCredit({
            requestId: unique('req'),
            accountId,
            keyId: 'key_test',
            amountMicros,
            expiresAt: inOneMinute,
            owner: holdOwner,
          });
        await hold(100n, owner);
        await hold(200n, unique('other-instance'));
        clock.advance(1_000);
        const restartedAt = clock.now();
        clock.advance(1_000);
        await hold(300n, owner);
        assert.equal(await store.voidAbandonedHolds({ owner, createdBefore: restartedAt }), 1);
        assert.deepEqual(await store.getBalance(accountId), balanceOf(1_000n, 500n));
        assert.equal(await store.voidAbandonedHolds({ owner, createdBefore: restartedAt }), 0);
        await store.expireHolds(new Date(inOneMinute.getTime() + 1));
      });
    });

    test('a key cap counts this period’s charges and open holds', async () => {
      await withStore(async (store) => {
        const accountId = await fundedAccount(store, 100_000n);
        const key = await store.insertApiKey({
          accountId,
          name: 'capped',
          prefix: 'sk-shep-Cap1',
          lastFour: 'wxyz',
          keyHash: randomBytes(32).toString('hex'),
        });
        const periodStart = new Date('2030-01-01T00:00:00.000Z');
        const capped = (amountMicros: bigint, requestId = unique('req')) =>
          store.reserveCredit({
            requestId,
            accountId,
            keyId: key.id,
            amountMicros,
            expiresAt: inOneMinute,
            keyMonthlyCap: { capMicros: 1_000n, periodStart },
          });
        // Usage before the period does not count; usage inside it does.
        for (const [cost, createdAt] of [
          [5_000n, new Date('2029-12-31T23:59:59.999Z')],
          [300n, periodStart],
        ] as const) {
          const requestId = unique('req');
          await store.settleUsage({
            usage: usageRecord({
              requestId,
              accountId,
              keyId: key.id,
              costMicros: cost,
              createdAt,
            }),
          });
        }
        const open = unique('req');
        assert.equal((await capped(400n, open)).status, 'reserved');
        assert.deepEqual(await capped(301n), {
          status: 'key_cap_exceeded',
          spentMicros: 700n,
          capMicros: 1_000n,
        });
        assert.equal((await capped(300n)).status, 'reserved');
        assert.equal((await capped(1n)).status, 'key_cap_exceeded');
        assert.deepEqual(await store.getBalance(accountId), balanceOf(94_700n, 700n));
        await store.settleUsage({
          usage: usageRecord({ requestId: open, accountId, keyId: key.id, costMicros: 100n }),
        });
        assert.equal((await capped(300n)).status, 'reserved');
      });
    });

    test('usage records round-trip and filter by period, account, key and limit', async () => {
      await withStore(async (store) => {
        const accountId = await fundedAccount(store, 10_000n);
        const otherId = await fundedAccount(store, 10_000n);
        const at = (minutes: number) => new Date(START.getTime() + minutes * MINUTE);
        const first = usageRecord({
          requestId: unique('a'),
          accountId,
          keyId: 'key_one',
          costMicros: 10n,
          createdAt: at(1),
        });
        const second = {
          ...usageRecord({
            requestId: unique('b'),
            accountId,
            keyId: 'key_two',
            costMicros: 20n,
            createdAt: at(2),
          }),
          status: 'error' as const,
          errorCode: 'GW_ERR_UPSTREAM_TIMEOUT',
          estimated: true,
          timeToFirstTokenMs: null,
          timeToFirstContentMs: null,
          upstreamTimeToFirstByteMs: null,
          tokensPerSecond: null,
          gatewayOverheadMs: null,
          inputTokens: 2 ** 40,
        };
        const third = usageRecord({
          requestId: unique('c'),
          accountId: otherId,
          costMicros: 40n,
          createdAt: at(3),
        });
        for (const usage of [third, second, first]) await store.settleUsage({ usage });
        const range = { from: at(1), to: at(3) };
        assert.deepEqual(await store.listUsageRecords({ ...range, accountId }), [first, second]);
        assert.deepEqual(await store.listUsageRecords({ ...range, keyId: 'key_two' }), [second]);
        assert.deepEqual(await store.listUsageRecords({ ...range, accountId, limit: 1 }), [first]);
        assert.deepEqual(
          await store.listUsageRecords({ from: at(1), to: at(4), accountId: otherId }),
          [third],
        );
        assert.equal(await store.sumUsageCharges({ ...range, accountId }), 30n);
        assert.equal(await store.sumUsageCharges({ from: at(2), to: at(4), accountId }), 20n);
        assert.equal(
          await store.sumUsageCharges({ from: at(3), to: at(4), accountId: otherId }),
          40n,
        );
        assert.equal(await store.sumUsageCharges({ from: at(9), to: at(10), accountId }), 0n);
      });
    });
  });
}
