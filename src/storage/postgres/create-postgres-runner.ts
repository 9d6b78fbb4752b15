import type { Kysely } from 'kysely';
import { isRecord } from '../../util/safe-parse-json.ts';
import type { Database } from '../database-schema.ts';
import { runProgram, type SqlProgram } from '../sql-program.ts';
import type { TransactionOutcome, TransactionRunner } from '../transaction-runner.ts';

/** deadlock_detected, serialization_failure: the server undid the transaction; run it again. */
const RETRYABLE_CODES = new Set(['40P01', '40001']);
const MAX_ATTEMPTS = 5;

/** Thrown inside Kysely's transaction callback to make it roll back; never leaves this module. */
class RollbackRequested extends Error {}

/**
 * Transactions on one pooled client at READ COMMITTED. Programs decide writes with conditional
 * UPDATEs (`WHERE posted - held >= $amount`, re-checked by the server on the newest row version)
 * and `SELECT … FOR UPDATE` where a read decides a write, and always lock balances customer
 * first, then the system account, so concurrent programs do not deadlock; if one still does, it
 * is retried.
 */
export function createPostgresRunner(db: Kysely<Database>): TransactionRunner {
  async function writeOnce<T>(program: () => SqlProgram<TransactionOutcome<T>>): Promise<T> {
    let rolledBack: { value: T } | undefined;
    try {
      return await db.transaction().execute(async (transaction) => {
        const outcome = await runProgram(program(), (query) => transaction.executeQuery(query));
        if (outcome.commit) return outcome.value;
        rolledBack = { value: outcome.value };
        throw new RollbackRequested();
      });
    } catch (error) {
      if (error instanceof RollbackRequested && rolledBack !== undefined) return rolledBack.value;
      throw error;
    }
  }

  return {
    async write(program) {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await writeOnce(program);
        } catch (error) {
          if (attempt >= MAX_ATTEMPTS || !isRetryable(error)) throw error;
        }
      }
    },
    read(program) {
      return db
        .transaction()
        .setIsolationLevel('repeatable read')
        .setAccessMode('read only')
        .execute((transaction) =>
          runProgram(program(), (query) => transaction.executeQuery(query)),
        );
    },
  };
}

function isRetryable(error: unknown): boolean {
  return isRecord(error) && typeof error.code === 'string' && RETRYABLE_CODES.has(error.code);
}
