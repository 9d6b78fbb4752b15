import { generateId } from './generate-id.ts';
import {
  ensureBalanceRow,
  insertTransaction,
  postTransfer,
  readBalance,
} from './ledger-balance-steps.ts';
import { creditIdempotencyKey } from './ledger-idempotency-keys.ts';
import { type CreditInput, type CreditResult, SYSTEM_ACCOUNTS } from './ledger-store.ts';
import { toTimestamp } from './map-rows.ts';
import { payloadHash } from './payload-hash.ts';
import { type SqlProgram, selectRows } from './sql-program.ts';
import type { StoreContext } from './store-context.ts';
import { InsufficientBalanceError, LedgerConflictError } from './store-errors.ts';
import { commit, rollback, type TransactionOutcome } from './transaction-runner.ts';

/** Where each kind of credit comes from: the customer's entry is always matched by this one. */
const COUNTERPARTY: Record<CreditInput['kind'], string> = {
  top_up: SYSTEM_ACCOUNTS.externalFunding,
  signup_bonus: SYSTEM_ACCOUNTS.promotions,
  adjustment: SYSTEM_ACCOUNTS.adjustments,
  refund: SYSTEM_ACCOUNTS.usageRevenue,
};

/**
 * Posts a credit once per idempotency key (I8). The same key with the same kind, account and
 * amount answers `duplicate` with the first transaction; with another payload it throws
 * `LedgerConflictError`. A negative adjustment (a debit) must fit the available balance, else it
 * throws `InsufficientBalanceError`; nothing is written in either case.
 */
export async function postCredit(context: StoreContext, input: CreditInput): Promise<CreditResult> {
  if (input.amountMicros === 0n) throw new RangeError('A credit amount is never zero.');
  if (input.amountMicros < 0n && input.kind !== 'adjustment') {
    throw new RangeError('Only an adjustment may be negative.');
  }
  return context.runner.write(() => creditProgram(context, input));
}

function* creditProgram(
  context: StoreContext,
  input: CreditInput,
): SqlProgram<TransactionOutcome<CreditResult>> {
  const { db } = context;
  const idemKey = creditIdempotencyKey(input.idempotencyKey);
  const hash = payloadHash(input);
  const transactionId = generateId('txn');
  yield* ensureBalanceRow(db, input.accountId);
  const posted = yield* insertTransaction(db, {
    id: transactionId,
    kind: input.kind,
    accountId: input.accountId,
    idemKey,
    payloadHash: hash,
    requestId: null,
    actor: input.actor ?? null,
    reason: input.reason ?? null,
    createdAt: toTimestamp(context.now()),
  });
  if (!posted) {
    const existing = yield* selectRows(
      db
        .selectFrom('ledger_transactions')
        .select(['id', 'payload_hash'])
        .where('idem_key', '=', idemKey),
    );
    const first = existing[0];
    if (first === undefined) throw new Error('The idempotency key vanished while being checked.');
    if (first.payload_hash !== hash) throw new LedgerConflictError(input.idempotencyKey, first.id);
    const balance = yield* readBalance(db, input.accountId);
    return rollback({ status: 'duplicate', transactionId: first.id, balance });
  }

  if (input.amountMicros < 0n) {
    // A debit may not take the available balance below zero (I3); the row lock makes the check
    // and the write one step on PostgreSQL, as BEGIN IMMEDIATE does on SQLite.
    const debit = -input.amountMicros;
    const fits = yield* selectRows(
      db
        .selectFrom('ledger_balances')
        .select('account_id')
        .where('account_id', '=', input.accountId)
        .where((expression) =>
          expression(expression('posted_micros', '-', expression.ref('held_micros')), '>=', debit),
        )
        .$if(context.engine === 'postgres', (query) => query.forUpdate()),
    );
    if (fits.length !== 1) {
      throw new InsufficientBalanceError(yield* readBalance(db, input.accountId));
    }
  }
  yield* postTransfer(db, {
    transactionId,
    customerId: input.accountId,
    counterpartyId: COUNTERPARTY[input.kind],
    amountMicros: input.amountMicros,
    createdAt: toTimestamp(context.now()),
  });
  const balance = yield* readBalance(db, input.accountId);
  return commit({ status: 'posted', transactionId, balance });
}
