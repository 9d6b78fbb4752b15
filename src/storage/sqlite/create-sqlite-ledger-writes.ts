import type BetterSqlite3 from 'better-sqlite3';
import type { LedgerHotPath } from '../store-context.ts';
import type { SqliteWriteQueue } from './create-sqlite-write-queue.ts';
import { type LedgerStatements, prepareLedgerStatements } from './prepare-ledger-statements.ts';
import { reserveOnSqlite } from './reserve-credit-sqlite.ts';
import { settleOnSqlite } from './settle-usage-sqlite.ts';

/** Both refuse before their first change: no savepoint each (see `SqliteWriteOptions`). */
const REFUSES_WITHOUT_CHANGES = { refusesWithoutChanges: true };

/**
 * Reserve and settle on SQLite: prepared statements run in the group-committed write queue. The
 * statements are prepared on first use, once the migrations have created their tables.
 */
export function createSqliteLedgerWrites(options: {
  connection: BetterSqlite3.Database;
  queue: SqliteWriteQueue;
  now: () => Date;
}): LedgerHotPath {
  const { connection, queue, now } = options;
  let statements: LedgerStatements | undefined;
  const prepared = () => {
    statements ??= prepareLedgerStatements(connection);
    return statements;
  };
  return {
    reserve: (input) =>
      queue.write(() => reserveOnSqlite(prepared(), input, now()), REFUSES_WITHOUT_CHANGES),
    settle: (usage) =>
      queue.write(() => settleOnSqlite(prepared(), usage, now()), REFUSES_WITHOUT_CHANGES),
  };
}
