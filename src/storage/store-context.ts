import type { Kysely } from 'kysely';
import type { Database, StoreEngine } from './database-schema.ts';
import type {
  ReserveInput,
  ReserveResult,
  SettleResult,
  UsageRecordInput,
} from './ledger-store.ts';
import type { TransactionRunner } from './transaction-runner.ts';

/**
 * An engine's own reserve and settle, run instead of the portable programs (same semantics, input
 * already validated): every request calls both, so their cost is the gateway's billing overhead.
 */
export interface LedgerHotPath {
  reserve(input: ReserveInput): Promise<ReserveResult>;
  settle(usage: UsageRecordInput): Promise<SettleResult>;
}

/** What every query module of the store needs. */
export interface StoreContext {
  /** Builds every statement; runs single-statement reads directly. */
  db: Kysely<Database>;
  engine: StoreEngine;
  /** Runs multi-statement writes and consistent reads in one transaction. */
  runner: TransactionRunner;
  /** Every clock read of the store goes through here. */
  now: () => Date;
  /** SQLite: prepared statements in group-committed transactions. */
  hotPath?: LedgerHotPath;
}
