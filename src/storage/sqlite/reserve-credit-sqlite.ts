import { toBalance } from '../ledger-balance-steps.ts';
import { usageIdempotencyKey } from '../ledger-idempotency-keys.ts';
import type { ReserveInput, ReserveResult } from '../ledger-store.ts';
import { toTimestamp } from '../map-rows.ts';
import { commit, rollback, type TransactionOutcome } from '../transaction-runner.ts';
import type { LedgerStatements } from './prepare-ledger-statements.ts';
import { withBalanceRow } from './with-balance-row.ts';

/**
 * `reserveProgram` (ledger-reserve.ts) on prepared statements, run inside the caller's write
 * transaction: the hold row (refused for a settled or already held request), the key's monthly
 * cap, then I3's conditional `held += amount WHERE posted - held >= amount`. Every refusal rolls
 * back, in the same order of precedence as the portable program.
 */
export function reserveOnSqlite(
  statements: LedgerStatements,
  input: ReserveInput,
  now: Date,
): TransactionOutcome<ReserveResult> {
  const inserted = withBalanceRow(statements, input.accountId, () =>
    statements.insertHold.run(
      input.requestId,
      input.accountId,
      input.keyId,
      input.amountMicros,
      toTimestamp(now),
      toTimestamp(input.expiresAt),
      input.owner ?? null,
      usageIdempotencyKey(input.requestId),
    ),
  );
  if (inserted.changes === 0) return rollback({ status: 'duplicate_request' });

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
      return rollback({ status: 'key_cap_exceeded', spentMicros, capMicros: cap.capMicros });
    }
  }

  const held = statements.holdCredit.get(input.amountMicros, input.accountId, input.amountMicros);
  if (held !== undefined) return commit({ status: 'reserved', balance: toBalance(held) });
  const balance = toBalance(statements.readBalance.get(input.accountId));
  return rollback({ status: 'insufficient_balance', balance });
}
