import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Database } from '../database-schema.ts';
import type { TransactionOutcome } from '../transaction-runner.ts';

/** Runs synchronous writes in shared transactions; each caller gets its own answer. */
export interface SqliteWriteQueue {
  /**
   * Runs `run` inside the next batch's transaction, in its own savepoint: a refusal
   * (`commit: false`) or a throw undoes only this write. Resolves once the batch has committed.
   */
  write<T>(run: () => TransactionOutcome<T>): Promise<T>;
}

interface PendingWrite {
  /** Runs the write; true keeps its changes. */
  run(): boolean;
  /** Answers the caller after the batch committed. */
  succeed(): void;
  fail(error: unknown): void;
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Group commit. A SQLite commit (and the BEGIN IMMEDIATE before it) costs far more than the few
 * statements of a reserve or a settle, so every write requested before the event loop's next check
 * phase (one turn: all the sockets that were readable together) shares ONE `BEGIN IMMEDIATE …
 * COMMIT`. Each write sits in its own SAVEPOINT, so refusals and failures stay private, and the
 * writes run in call order, exactly as if each had its own transaction one after the other.
 *
 * The batch runs synchronously, begin to commit, inside Kysely's connection lease (taken when the
 * first write arrives, so the queue keeps its FIFO place among Kysely's other queries): no
 * transaction is ever open across an await, and a Kysely transaction on the same connection is
 * never interleaved. Nobody is answered before COMMIT returns, so an answer is never about a
 * write a crash could still undo.
 */
export function createSqliteWriteQueue(
  db: Kysely<Database>,
  connection: BetterSqlite3.Database,
): SqliteWriteQueue {
  let pending: PendingWrite[] = [];
  let scheduled = false;
  let statements: ReturnType<typeof prepareControl> | undefined;

  function takeBatch(): PendingWrite[] {
    const batch = pending;
    pending = [];
    scheduled = false;
    return batch;
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    db.connection()
      .execute(async () => {
        await nextTurn();
        runBatch(takeBatch());
      })
      .catch((error: unknown) => {
        for (const write of takeBatch()) write.fail(error);
      });
  }

  function runBatch(batch: PendingWrite[]): void {
    statements ??= prepareControl(connection);
    const control = statements;
    const errors = new Map<PendingWrite, unknown>();
    try {
      control.begin.run();
      for (const write of batch) {
        control.savepoint.run();
        try {
          if (!write.run()) control.rollbackToSavepoint.run();
        } catch (error) {
          // SQLITE_FULL, IOERR or BUSY end the whole transaction: the batch is lost.
          if (!connection.inTransaction) throw error;
          control.rollbackToSavepoint.run();
          errors.set(write, error);
        }
        control.release.run();
      }
      control.commit.run();
    } catch (error) {
      if (connection.inTransaction) control.rollback.run();
      for (const write of batch) write.fail(errors.get(write) ?? error);
      return;
    }
    for (const write of batch) {
      if (errors.has(write)) write.fail(errors.get(write));
      else write.succeed();
    }
  }

  return {
    write<T>(run: () => TransactionOutcome<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        let outcome: TransactionOutcome<T> | undefined;
        pending.push({
          run() {
            outcome = run();
            return outcome.commit;
          },
          succeed() {
            if (outcome === undefined) reject(new Error('The write never ran.'));
            else resolve(outcome.value);
          },
          fail: reject,
        });
        schedule();
      });
    },
  };
}

/** Prepared once: `exec` would parse these texts again on every batch. */
function prepareControl(connection: BetterSqlite3.Database) {
  const prepare = (text: string) => connection.prepare(text);
  return {
    begin: prepare('BEGIN IMMEDIATE'),
    savepoint: prepare('SAVEPOINT shepherd_write'),
    rollbackToSavepoint: prepare('ROLLBACK TO shepherd_write'),
    release: prepare('RELEASE shepherd_write'),
    commit: prepare('COMMIT'),
    rollback: prepare('ROLLBACK'),
  };
}
