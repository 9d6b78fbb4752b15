import { usageIdempotencyKey } from '../ledger-idempotency-keys.ts';
import type { ReserveInput, ReserveResult } from '../ledger-store.ts';
import { toTimestamp } from '../map-rows.ts';
import { commit, rollback, type TransactionOutcome } from '../transaction-runner.ts';
import type { LedgerStatements } from './prepare-ledger-statements.ts';
import { balanceOf, readBalance } from './read-balance.ts';

/**
 * `reserveProgram` (ledger-reserve.ts) on prepared statements, run inside the caller's write
 * transaction, with the same results in the same order of precedence: a request that has a hold
 * or was settled is a duplicate, then the key's monthly cap, then I3's conditional
 * `held += amount WHERE posted - held >= amount`. The checks come before any change, so a refusal
 * changes nothing (the queue runs it without a savepoint): the conditional UPDATE also checks the
 * request is new, and the hold row is inserted only once it succeeded. A refusal alone pays for
 * the reads that tell its reason; a hold reads the balance it leaves after its UPDATE (see
 * `prepareLedgerStatements` on RETURNING).
 */
export function reserveOnSqlite(
  statements: LedgerStatements,
  input: ReserveInput,
  now: Date,
): TransactionOutcome<ReserveResult> {
  const usageKey = usageIdempotencyKey(input.requestId);
  const cap = input.keyMonthlyCap;
  if (cap !== undefined) {
    const spentMicros =
      statements.keySpend.get(
        input.keyId,
        toTimestamp(cap.periodStart),
        input.keyId,
        input.requestId,
      ) ?? 0n;
    if (spentMicros + input.amountMicros > cap.capMicros) {
      return isKnownRequest(statements, input.requestId, usageKey)
        ? rollback({ status: 'duplicate_request' })
        : rollback({ status: 'key_cap_exceeded', spentMicros, capMicros: cap.capMicros });
    }
  }

  if (holdCredit(statements, input, usageKey)) {
    insertHold(statements, input, now);
    return commit({ status: 'reserved', balance: readBalance(statements, input.accountId) });
  }
  if (isKnownRequest(statements, input.requestId, usageKey)) {
    return rollback({ status: 'duplicate_request' });
  }
  const balance = statements.readBalance.get(input.accountId);
  if (balance === undefined) return reserveWithoutBalanceRow(statements, input, usageKey, now);
  return rollback({ status: 'insufficient_balance', balance: balanceOf(balance) });
}

/**
 * The account has no balance row (made before migration 0002, or left without one by a crash of an
 * old build): create it, as `ensureBalanceRow` does, and try once more. An unknown account gets no
 * row, and the hold's foreign key rejects it, as the portable program's insert does.
 */
function reserveWithoutBalanceRow(
  statements: LedgerStatements,
  input: ReserveInput,
  usageKey: string,
  now: Date,
): TransactionOutcome<ReserveResult> {
  if (statements.ensureBalanceRow.run(input.accountId).changes === 0) {
    insertHold(statements, input, now); // throws SQLITE_CONSTRAINT_FOREIGNKEY
    throw new Error(`The ledger has no balance row for ${input.accountId}.`);
  }
  if (!holdCredit(statements, input, usageKey)) {
    return rollback({ status: 'insufficient_balance', balance: balanceOf(undefined) });
  }
  insertHold(statements, input, now);
  return commit({ status: 'reserved', balance: readBalance(statements, input.accountId) });
}

/** Whether the conditional UPDATE held the amount (one row changed). */
function holdCredit(statements: LedgerStatements, input: ReserveInput, usageKey: string): boolean {
  const amount = input.amountMicros;
  return (
    statements.holdCredit.run(amount, input.accountId, amount, amount, input.requestId, usageKey)
      .changes === 1
  );
}

function insertHold(statements: LedgerStatements, input: ReserveInput, now: Date): void {
  statements.insertHold.run(
    input.requestId,
    input.accountId,
    input.keyId,
    input.amountMicros,
    toTimestamp(now),
    toTimestamp(input.expiresAt),
    input.owner ?? null,
  );
}

function isKnownRequest(
  statements: LedgerStatements,
  requestId: string,
  usageKey: string,
): boolean {
  return statements.isKnownRequest.get(requestId, usageKey) === 1n;
}
