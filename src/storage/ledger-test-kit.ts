import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './database-schema.ts';
import type { UsageRecordInput } from './ledger-store.ts';
import type { Store } from './store.ts';

/** One empty, migrated database of the engine under test (its own SQLite file or PG schema). */
export interface LedgerTestDatabase {
  /** A new store (own connection or pool) on this database. */
  open(options: { now: () => Date; maxConnections?: number }): Promise<Store>;
  /** Runs statements directly, bypassing the store (to plant breaches or read raw rows). */
  withDb<T>(run: (db: Kysely<Database>) => Promise<T>): Promise<T>;
}

export interface LedgerContractTarget {
  createDatabase(): Promise<LedgerTestDatabase>;
}

export const START = new Date('2030-01-02T03:04:05.678Z');

export function createClock(start = START) {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advance: (milliseconds: number) => {
      current += milliseconds;
    },
  };
}

export type Clock = ReturnType<typeof createClock>;

/** Unique per call, so tests never collide on a shared database. */
export function unique(label: string): string {
  return `${label}-${randomBytes(6).toString('hex')}`;
}

/** A complete usage row with plausible measurements; the fields a test cares about are given. */
export function usageRecord(input: {
  requestId: string;
  accountId: string;
  costMicros: bigint;
  keyId?: string;
  createdAt?: Date;
}): UsageRecordInput {
  return {
    requestId: input.requestId,
    accountId: input.accountId,
    keyId: input.keyId ?? 'key_000000000000000000000000',
    requestedModel: 'model-a',
    servedModel: 'model-a',
    provider: 'simulated',
    upstreamModel: 'model-a-2030',
    status: 'ok',
    errorCode: null,
    inputTokens: 120,
    cachedInputTokens: 20,
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    outputTokens: 45,
    reasoningTokens: 5,
    costMicros: input.costMicros,
    currency: 'KRW',
    exchangeRate: '1400',
    estimated: false,
    timeToFirstTokenMs: 180.5,
    timeToFirstReasoningMs: null,
    timeToFirstContentMs: 180.5,
    upstreamTimeToFirstByteMs: 150,
    totalMs: 950.25,
    tokensPerSecond: 58.2,
    chunks: 12,
    gatewayOverheadMs: 1.5,
    attempts: '[{"provider":"simulated","model":"model-a","status":"ok"}]',
    createdAt: input.createdAt ?? START,
  };
}

/** Opens a store, runs the test, and closes it whatever happened. */
export async function withOpenStore(
  database: LedgerTestDatabase,
  clock: Clock,
  run: (store: Store) => Promise<void>,
): Promise<void> {
  const store = await database.open({ now: clock.now });
  try {
    await run(store);
  } finally {
    await store.close();
  }
}

/** An account with `micros` topped up. */
export async function fundedAccount(store: Store, micros: bigint): Promise<string> {
  const account = await store.createAccount({ name: unique('ledger') });
  if (micros > 0n) {
    await store.postCredit({
      kind: 'top_up',
      accountId: account.id,
      amountMicros: micros,
      idempotencyKey: unique('fund'),
    });
  }
  return account.id;
}

export function balanceOf(posted: bigint, held: bigint) {
  return { postedMicros: posted, heldMicros: held, availableMicros: posted - held };
}
