import { toBalance } from '../ledger-balance-steps.ts';
import { usageIdempotencyKey } from '../ledger-idempotency-keys.ts';
import type { ReserveInput, ReserveResult } from '../ledger-store.ts';
import { toTimestamp } from '../map-rows.ts';
import { commit, rollback, type TransactionOutcome } from '../transaction-runner.ts';
import type { BalanceRow, LedgerStatements } from './prepare-ledger-statements.ts';

/**
 * `reserveProgram` (ledger-reserve.ts) on prepared statements, run inside the caller's write
 * transaction, with the same results in the same order of precedence: a request that has a hold
 * or was settled is a duplicate, then the key's monthly cap, then I3's conditional
 * `held += amount WHERE posted - held >= amount`. The checks come before any change, so a refusal
 * changes nothing (the queue runs it without a savepoint): the conditional UPDATE also checks the
 * request is new, and the hold row is inserted only once it succeeded. A refusal alone pays for
 * the reads that tell its reason.
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

  const held = holdCredit(statements, input, usageKey);
  if (held !== undefined) {
    insertHold(statements, input, now);
    return commit({ status: 'reserved', balance: toBalance(held) });
  }
  if (isKnownRequest(statements, input.requestId, usageKey)) {
    return rollback({ status: 'duplicate_request' });
  }
  const balance = statements.readBalance.get(input.accountId);
  if (balance === undefined) return reserveWithoutBalanceRow(statements, input, usageKey, now);
  return rollback({ status: 'insufficient_balance', balance: toBalance(balance) });
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
  const held = holdCredit(statements, input, usageKey);
  if (held === undefined) {
    return rollback({ status: 'insufficient_balance', balance: toBalance(undefined) });
  }
  insertHold(statements, input, now);
  return commit({ status: 'reserved', balance: toBalance(held) });
}

function holdCredit(
  statements: LedgerStatements,
  input: ReserveInput,
  usageKey: string,
): BalanceRow | undefined {
  const amount = input.amountMicros;
  return statements.holdCredit.get(amount, input.accountId, amount, input.requestId, usageKey);
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
