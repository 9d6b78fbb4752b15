import { getApiKeyPolicy, setApiKeyPolicy } from './api-key-policy-queries.ts';
import { checkLedger } from './ledger-check.ts';
import { postCredit } from './ledger-credits.ts';
import { countOpenHolds, expireHolds, voidAbandonedHolds } from './ledger-holds.ts';
import {
  getBalance,
  listLedgerEntries,
  listUsageRecords,
  sumUsageCharges,
} from './ledger-reads.ts';
import { reserveCredit } from './ledger-reserve.ts';
import { settleUsage } from './ledger-settle.ts';
import type { LedgerStore } from './ledger-store.ts';
import {
  createVoucherBatch,
  listVoucherBatches,
  listVouchers,
  redeemVoucher,
} from './ledger-vouchers.ts';
import type { StoreContext } from './store-context.ts';
import { toConstraintError } from './to-constraint-error.ts';

/** An unknown account surfaces as the foreign-key `StoreConstraintError` of whatever row named it. */
async function namingAccount<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    throw toConstraintError(error, 'The ledger account');
  }
}

export function createLedgerQueries(context: StoreContext): LedgerStore {
  return {
    getBalance: (accountId) => getBalance(context, accountId),
    reserveCredit: (input) => namingAccount(reserveCredit(context, input)),
    settleUsage: (input) => namingAccount(settleUsage(context, input)),
    expireHolds: (now) => expireHolds(context, now),
    voidAbandonedHolds: (input) => voidAbandonedHolds(context, input),
    countOpenHolds: () => countOpenHolds(context),
    postCredit: (input) => namingAccount(postCredit(context, input)),
    listLedgerEntries: (filter) => listLedgerEntries(context, filter),
    createVoucherBatch: async (input) => {
      try {
        return await createVoucherBatch(context, input);
      } catch (error) {
        throw toConstraintError(error, 'A voucher with this code');
      }
    },
    listVoucherBatches: () => listVoucherBatches(context),
    listVouchers: (batchId) => listVouchers(context, batchId),
    redeemVoucher: (input) => namingAccount(redeemVoucher(context, input)),
    getApiKeyPolicy: (keyId) => getApiKeyPolicy(context, keyId),
    setApiKeyPolicy: (keyId, policy) => setApiKeyPolicy(context, keyId, policy),
    listUsageRecords: (filter) => listUsageRecords(context, filter),
    sumUsageCharges: (filter) => sumUsageCharges(context, filter),
    checkLedger: (now) => checkLedger(context, now),
  };
}
