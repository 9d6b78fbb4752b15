import { randomUUID } from 'node:crypto';
import type { CreditResult } from '../storage/ledger-store.ts';
import type { Store } from '../storage/store.ts';

export type AccountCreditKind = 'top_up' | 'adjustment' | 'refund';

/** Prefixes of the idempotency key per kind: the admin API and the CLI use the same ones. */
const KEY_PREFIX: Record<AccountCreditKind, string> = {
  top_up: 'top-up',
  adjustment: 'adjustment',
  refund: 'refund',
};

export interface CreditAccountOptions {
  store: Pick<Store, 'postCredit'>;
  kind: AccountCreditKind;
  accountId: string;
  /** Positive; an adjustment may be negative (a debit). */
  amountMicros: bigint;
  /**
   * The operator's external reference (bank transfer id, ticket number): the same reference twice
   * credits once; with another amount or account it is a conflict. Required for top-ups and
   * refunds; an adjustment without one gets a fresh reference and is never deduplicated.
   */
  reference?: string;
  actor: string;
  reason?: string;
}

/**
 * Posts an operator's credit with its idempotency key `<kind>:<reference>` (`top-up:…`,
 * `adjustment:…`, `refund:…`). Throws what `postCredit` throws: `LedgerConflictError`,
 * `InsufficientBalanceError`, `StoreConstraintError` for an unknown account.
 */
export async function creditAccount(options: CreditAccountOptions): Promise<CreditResult> {
  const reference = options.reference ?? (options.kind === 'adjustment' ? randomUUID() : undefined);
  if (reference === undefined || reference.trim() === '') {
    throw new RangeError('A top-up or refund needs a reference (e.g. the bank transfer id).');
  }
  if (options.amountMicros <= 0n && options.kind !== 'adjustment') {
    throw new RangeError('A top-up or refund amount is positive.');
  }
  return options.store.postCredit({
    kind: options.kind,
    accountId: options.accountId,
    amountMicros: options.amountMicros,
    idempotencyKey: `${KEY_PREFIX[options.kind]}:${reference}`,
    actor: options.actor,
    ...(options.reason === undefined ? {} : { reason: options.reason }),
  });
}
