import type { Kysely } from 'kysely';
import type { Database, StoreEngine } from './database-schema.ts';
import type { TransactionRunner } from './transaction-runner.ts';

/** What every query module of the store needs. */
export interface StoreContext {
  /** Builds every statement; runs single-statement reads directly. */
  db: Kysely<Database>;
  engine: StoreEngine;
  /** Runs multi-statement writes and consistent reads in one transaction. */
  runner: TransactionRunner;
  /** Every clock read of the store goes through here. */
  now: () => Date;
}
