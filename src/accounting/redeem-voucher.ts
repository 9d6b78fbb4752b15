import type { RedeemResult } from '../storage/ledger-store.ts';
import type { Store } from '../storage/store.ts';
import { hashVoucherCode, normalizeVoucherCode } from './voucher-codes.ts';

/** The store's answer, or `malformed` for text that cannot be a code (the store is not asked). */
export type RedeemVoucherResult = RedeemResult | { status: 'malformed' };

/** Credits the voucher's amount to the account, exactly once per code whoever tries. */
export async function redeemVoucher(options: {
  store: Pick<Store, 'redeemVoucher'>;
  pepper: string;
  code: string;
  accountId: string;
  now: Date;
}): Promise<RedeemVoucherResult> {
  const canonical = normalizeVoucherCode(options.code);
  if (canonical === undefined) return { status: 'malformed' };
  return options.store.redeemVoucher({
    codeHash: hashVoucherCode(canonical, options.pepper),
    accountId: options.accountId,
    now: options.now,
  });
}

/** What to tell the person who typed the code, for every outcome but success. */
export function explainRedeemFailure(
  status: Exclude<RedeemVoucherResult['status'], 'redeemed'>,
): string {
  switch (status) {
    case 'malformed':
      return 'This is not a voucher code: codes look like SHEP-XXXX-XXXX-XXXX-XXXX (letters and digits, without 0, O, 1 or I).';
    case 'not_found':
      return 'No voucher has this code. Check it for typos.';
    case 'already_redeemed':
      return 'This voucher code was already redeemed; each code credits once.';
    case 'expired':
      return 'This voucher code has expired.';
  }
}
