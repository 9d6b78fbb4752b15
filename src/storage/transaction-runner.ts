import type { SqlProgram } from './sql-program.ts';

/** What a write program decided: keep its writes, or undo them and still answer `value`. */
export interface TransactionOutcome<T> {
  readonly value: T;
  readonly commit: boolean;
}

export function commit<T>(value: T): TransactionOutcome<T> {
  return { value, commit: true };
}

export function rollback<T>(value: T): TransactionOutcome<T> {
  return { value, commit: false };
}

/**
 * Runs programs in one database transaction each. A program that throws is rolled back and the
 * error rethrown. `program` is a factory because PostgreSQL may run it again after a deadlock.
 */
export interface TransactionRunner {
  /** SQLite: BEGIN IMMEDIATE, run synchronously. PostgreSQL: READ COMMITTED, row locks. */
  write<T>(program: () => SqlProgram<TransactionOutcome<T>>): Promise<T>;
  /** A read-only transaction: every statement sees one snapshot. */
  read<T>(program: () => SqlProgram<T>): Promise<T>;
}
