import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SYSTEM_ACCOUNTS } from './ledger-store.ts';
import {
  balanceOf,
  createClock,
  fundedAccount,
  type LedgerTestDatabase,
  START,
  unique,
  withOpenStore,
} from './ledger-test-kit.ts';
import { StoreConstraintError } from './store-errors.ts';

function codes(count: number) {
  return Array.from({ length: count }, (_, index) => ({
    codeHash: unique(`hash${index}`),
    codeLastFour: `C00${index}`.slice(-4),
  }));
}

/** Voucher batches and exactly-once redemption; `database` is shared with other suites. */
export function registerVoucherContract(database: () => LedgerTestDatabase): void {
  describe('ledger vouchers', () => {
    test('a batch is created with its codes and lists with its redemptions', async () => {
      const clock = createClock();
      await withOpenStore(database(), clock, async (store) => {
        const expiresAt = new Date('2030-06-01T00:00:00.000Z');
        const batchCodes = codes(3);
        const batch = await store.createVoucherBatch({
          name: unique('launch'),
          amountMicros: 5_000n,
          codes: batchCodes,
          createdBy: 'admin@example.com',
          expiresAt,
        });
        assert.match(batch.id, /^vbat_[0-9a-f]{24}$/);
        assert.deepEqual(
          { ...batch, id: '' },
          {
            id: '',
            name: batch.name,
            amountMicros: 5_000n,
            count: 3,
            createdBy: 'admin@example.com',
            createdAt: START,
            expiresAt,
            redeemedCount: 0,
          },
        );
        const accountId = await fundedAccount(store, 0n);
        const first = batchCodes[0];
        assert.ok(first !== undefined);
        clock.advance(1_000);
        await store.redeemVoucher({ codeHash: first.codeHash, accountId, now: clock.now() });
        const listed = (await store.listVoucherBatches()).find((each) => each.id === batch.id);
        assert.deepEqual(listed, { ...batch, redeemedCount: 1 });
        const vouchers = await store.listVouchers(batch.id);
        assert.equal(vouchers.length, 3);
        assert.deepEqual(vouchers.map((voucher) => voucher.codeLastFour).sort(), [
          'C000',
          'C001',
          'C002',
        ]);
        const redeemed = vouchers.find((voucher) => voucher.codeLastFour === 'C000');
        assert.deepEqual(redeemed && { ...redeemed, id: '' }, {
          id: '',
          batchId: batch.id,
          codeLastFour: 'C000',
          amountMicros: 5_000n,
          expiresAt,
          redeemedAt: clock.now(),
          redeemedBy: accountId,
        });
        assert.deepEqual(await store.listVouchers('vbat_missing'), []);
      });
    });

    test('a batch with a code that exists already is not created at all', async () => {
      await withOpenStore(database(), createClock(), async (store) => {
        const taken = codes(1);
        await store.createVoucherBatch({
          name: 'first',
          amountMicros: 1n,
          codes: taken,
          createdBy: 'a',
        });
        const name = unique('second');
        await assert.rejects(
          store.createVoucherBatch({
            name,
            amountMicros: 1n,
            codes: [...codes(2), ...taken],
            createdBy: 'a',
          }),
          (error) => error instanceof StoreConstraintError && error.constraint === 'unique',
        );
        const batches = await store.listVoucherBatches();
        assert.equal(batches.filter((batch) => batch.name === name).length, 0);
        await assert.rejects(
          store.createVoucherBatch({ name, amountMicros: 0n, codes: codes(1), createdBy: 'a' }),
          RangeError,
        );
        await assert.rejects(
          store.createVoucherBatch({ name, amountMicros: 1n, codes: [], createdBy: 'a' }),
          RangeError,
        );
      });
    });

    test('redeem credits once from promotions; then already_redeemed, not_found, expired', async () => {
      await withOpenStore(database(), createClock(), async (store) => {
        const promotionsBefore = (await store.getBalance(SYSTEM_ACCOUNTS.promotions)).postedMicros;
        const [live, late] = [codes(1), codes(1)];
        await store.createVoucherBatch({
          name: 'live',
          amountMicros: 2_500n,
          codes: live,
          createdBy: 'a',
        });
        await store.createVoucherBatch({
          name: 'late',
          amountMicros: 9_000n,
          codes: late,
          createdBy: 'a',
          expiresAt: new Date(START.getTime() + 1_000),
        });
        const accountId = await fundedAccount(store, 100n);
        const otherId = await fundedAccount(store, 0n);
        const liveHash = live[0]?.codeHash ?? '';
        const lateHash = late[0]?.codeHash ?? '';
        assert.deepEqual(await store.redeemVoucher({ codeHash: liveHash, accountId, now: START }), {
          status: 'redeemed',
          amountMicros: 2_500n,
          balance: balanceOf(2_600n, 0n),
        });
        assert.deepEqual(
          await store.redeemVoucher({ codeHash: liveHash, accountId: otherId, now: START }),
          { status: 'already_redeemed' },
        );
        assert.deepEqual(
          await store.redeemVoucher({ codeHash: unique('nope'), accountId, now: START }),
          { status: 'not_found' },
        );
        const afterExpiry = new Date(START.getTime() + 1_000);
        assert.deepEqual(
          await store.redeemVoucher({ codeHash: lateHash, accountId, now: afterExpiry }),
          { status: 'expired' },
        );
        assert.deepEqual(await store.getBalance(otherId), balanceOf(0n, 0n));
        const promotions = (await store.getBalance(SYSTEM_ACCOUNTS.promotions)).postedMicros;
        assert.equal(promotionsBefore - promotions, 2_500n);
        const [entry] = await store.listLedgerEntries({ accountId, limit: 1 });
        assert.equal(entry?.kind, 'voucher');
        assert.equal(entry?.amountMicros, 2_500n);
        await assert.rejects(
          store.redeemVoucher({ codeHash: lateHash, accountId: 'acct_missing', now: START }),
          (error) => error instanceof StoreConstraintError && error.constraint === 'foreign-key',
        );
        const stillLive = await store.redeemVoucher({ codeHash: lateHash, accountId, now: START });
        assert.equal(stillLive.status, 'redeemed');
        assert.deepEqual(await store.checkLedger(START), []);
      });
    });
  });
}
