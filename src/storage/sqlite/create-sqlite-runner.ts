import type BetterSqlite3 from 'better-sqlite3';
import type { CompiledQuery, Kysely, QueryResult } from 'kysely';
import type { Database } from '../database-schema.ts';
import { runProgramSync, type SqlProgram } from '../sql-program.ts';
import type { TransactionOutcome, TransactionRunner } from '../transaction-runner.ts';
import type { SqliteWriteQueue } from './create-sqlite-write-queue.ts';

const MAX_CACHED_STATEMENTS = 256;

/**
 * Transactions on the raw better-sqlite3 connection beneath `db`. Kysely's own `transaction()`
 * sends a deferred BEGIN, whose first write can fail with SQLITE_BUSY once another connection has
 * written after our snapshot; so writes go through `queue`, which sends `BEGIN IMMEDIATE` itself,
 * taking the write lock up front (waiting up to `busy_timeout` for another connection's writer),
 * and runs each program in its own savepoint of a group-committed transaction.
 *
 * Every program runs synchronously, begin to commit (reads inside Kysely's connection lease, writes
 * in the queue, which takes the lease only while another transaction is open): no other query of
 * this process can run in between, and a second connection in the same process never sits in
 * SQLite's busy wait (which blocks the thread) while our transaction waits for the event loop.
 */
export function createSqliteRunner(
  db: Kysely<Database>,
  connection: BetterSqlite3.Database,
  queue: SqliteWriteQueue,
): TransactionRunner {
  const statements = new Map<string, BetterSqlite3.Statement<unknown[], unknown>>();

  function prepare(text: string): BetterSqlite3.Statement<unknown[], unknown> {
    const cached = statements.get(text);
    if (cached !== undefined) return cached;
    if (statements.size >= MAX_CACHED_STATEMENTS) statements.clear();
    const statement = connection.prepare<unknown[], unknown>(text);
    statements.set(text, statement);
    return statement;
  }

  function executeQuery(query: CompiledQuery): QueryResult<unknown> {
    const statement = prepare(query.sql);
    if (statement.reader) {
      const rows = statement.all(...query.parameters);
      return { rows, numAffectedRows: BigInt(rows.length) };
    }
    const { changes } = statement.run(...query.parameters);
    return { rows: [], numAffectedRows: BigInt(changes) };
  }

  /** A deferred BEGIN: one snapshot for every statement of a read program. */
  function readInTransaction<T>(run: () => T): T {
    connection.exec('BEGIN');
    try {
      const value = run();
      connection.exec('COMMIT');
      return value;
    } catch (error) {
      if (connection.inTransaction) connection.exec('ROLLBACK');
      throw error;
    }
  }

  return {
    write<T>(program: () => SqlProgram<TransactionOutcome<T>>): Promise<T> {
      return queue.write(() => runProgramSync(program(), executeQuery));
    },
    read<T>(program: () => SqlProgram<T>): Promise<T> {
      return db
        .connection()
        .execute(async () => readInTransaction(() => runProgramSync(program(), executeQuery)));
    },
  };
}
