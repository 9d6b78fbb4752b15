import { isRecord } from '../../util/safe-parse-json.ts';
import type { LedgerStatements } from './prepare-ledger-statements.ts';

/**
 * Runs an insert whose row references the account's balance row, creating that row first only if
 * the insert fails for lack of it (accounts made before migration 0002, or left without one by a
 * crash of an old build): the same as `ensureBalanceRow` before every insert, minus a statement on
 * every call. SQLite undoes just the failed statement, so the retry starts clean; a missing account
 * still gets no row, and the retry's foreign-key error reaches the caller.
 */
export function withBalanceRow<T>(
  statements: LedgerStatements,
  accountId: string,
  insert: () => T,
): T {
  try {
    return insert();
  } catch (error) {
    if (!isRecord(error) || error.code !== 'SQLITE_CONSTRAINT_FOREIGNKEY') throw error;
  }
  statements.ensureBalanceRow.run(accountId);
  return insert();
}
