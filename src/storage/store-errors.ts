import type { Balance } from './ledger-store.ts';

/** A write broke a constraint: a duplicate unique value or a reference to a missing row. */
export class StoreConstraintError extends Error {
  readonly constraint: 'unique' | 'foreign-key';

  constructor(constraint: 'unique' | 'foreign-key', message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'StoreConstraintError';
    this.constraint = constraint;
  }
}

/** A key prefix given to `revokeApiKey` matches more than one live key. */
export class AmbiguousKeyPrefixError extends Error {
  readonly prefix: string;
  readonly matchCount: number;

  constructor(prefix: string, matchCount: number) {
    super(`Key prefix ${prefix} matches ${matchCount} keys; use the key id instead.`);
    this.name = 'AmbiguousKeyPrefixError';
    this.prefix = prefix;
    this.matchCount = matchCount;
  }
}

/** An idempotency key was used again with another payload (kind, account or amount) (I8). */
export class LedgerConflictError extends Error {
  readonly idempotencyKey: string;
  /** The transaction the key first posted. */
  readonly transactionId: string;

  constructor(idempotencyKey: string, transactionId: string) {
    super(`Idempotency key ${idempotencyKey} was already used for another credit.`);
    this.name = 'LedgerConflictError';
    this.idempotencyKey = idempotencyKey;
    this.transactionId = transactionId;
  }
}

/** A debit (negative adjustment) larger than the account's available balance; nothing changed. */
export class InsufficientBalanceError extends Error {
  readonly balance: Balance;

  constructor(balance: Balance) {
    super('The debit exceeds the available balance.');
    this.name = 'InsufficientBalanceError';
    this.balance = balance;
  }
}
