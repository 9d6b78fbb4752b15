import { displayApiKey } from '../../accounting/api-keys.ts';
import { microsToDecimalText } from '../../accounting/micros-to-decimal-text.ts';
import type {
  ApiKeyPolicy,
  Balance,
  LedgerEntryView,
  Voucher,
  VoucherBatch,
} from '../../storage/ledger-store.ts';
import type { Account, ApiKey } from '../../storage/store.ts';

/**
 * JSON views of the admin API. Money is always a pair of strings, `x` in whole currency units
 * (`"12.5"`) and `xMicros` (`"12500000"`), never a JSON number, so no client rounds it through a
 * float.
 */

export function encodeBalance(balance: Balance, currency: string) {
  return {
    currency,
    posted: microsToDecimalText(balance.postedMicros),
    postedMicros: balance.postedMicros.toString(),
    held: microsToDecimalText(balance.heldMicros),
    heldMicros: balance.heldMicros.toString(),
    available: microsToDecimalText(balance.availableMicros),
    availableMicros: balance.availableMicros.toString(),
  };
}

export function encodeAccount(account: Account, balance: Balance, currency: string) {
  return {
    id: account.id,
    name: account.name,
    status: account.disabledAt === null ? 'active' : 'disabled',
    createdAt: account.createdAt.toISOString(),
    disabledAt: account.disabledAt?.toISOString() ?? null,
    balance: encodeBalance(balance, currency),
  };
}

export function encodeLedgerEntry(entry: LedgerEntryView) {
  return {
    transactionId: entry.transactionId,
    kind: entry.kind,
    amount: microsToDecimalText(entry.amountMicros),
    amountMicros: entry.amountMicros.toString(),
    requestId: entry.requestId,
    actor: entry.actor,
    reason: entry.reason,
    createdAt: entry.createdAt.toISOString(),
  };
}

export function encodeApiKey(key: ApiKey, policy: ApiKeyPolicy | undefined, now: Date) {
  const expiresAt = policy?.expiresAt ?? key.expiresAt;
  const cap = policy?.monthlySpendCapMicros ?? null;
  let status = 'active';
  if (key.revokedAt !== null) status = 'revoked';
  else if (expiresAt !== null && expiresAt.getTime() <= now.getTime()) status = 'expired';
  return {
    id: key.id,
    accountId: key.accountId,
    name: key.name,
    key: displayApiKey(key.prefix, key.lastFour),
    status,
    createdAt: key.createdAt.toISOString(),
    revokedAt: key.revokedAt?.toISOString() ?? null,
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    expiresAt: expiresAt?.toISOString() ?? null,
    monthlySpendCap: cap === null ? null : microsToDecimalText(cap),
    monthlySpendCapMicros: cap === null ? null : cap.toString(),
    allowedModels: policy?.allowedModels ?? null,
  };
}

export function encodeVoucherBatch(batch: VoucherBatch, currency: string) {
  return {
    id: batch.id,
    name: batch.name,
    currency,
    amount: microsToDecimalText(batch.amountMicros),
    amountMicros: batch.amountMicros.toString(),
    count: batch.count,
    redeemedCount: batch.redeemedCount,
    createdBy: batch.createdBy,
    createdAt: batch.createdAt.toISOString(),
    expiresAt: batch.expiresAt?.toISOString() ?? null,
  };
}

export function encodeVoucher(voucher: Voucher, now: Date) {
  let state = 'available';
  if (voucher.redeemedAt !== null) state = 'redeemed';
  else if (voucher.expiresAt !== null && voucher.expiresAt.getTime() <= now.getTime()) {
    state = 'expired';
  }
  return {
    id: voucher.id,
    lastFour: voucher.codeLastFour,
    state,
    redeemedAt: voucher.redeemedAt?.toISOString() ?? null,
    redeemedBy: voucher.redeemedBy,
  };
}
