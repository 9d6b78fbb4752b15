import { sql } from 'kysely';
import { selectBalance, toBalance } from './ledger-balance-steps.ts';
import type { Balance, LedgerEntryView, UsageRecord } from './ledger-store.ts';
import { toTimestamp } from './map-rows.ts';
import { mapUsageRow } from './map-usage-rows.ts';
import type { StoreContext } from './store-context.ts';

/** Zero for an account that has no balance row yet. */
export async function getBalance(context: StoreContext, accountId: string): Promise<Balance> {
  return toBalance(await selectBalance(context.db, accountId).executeTakeFirst());
}

/** The account's own entries, newest first, with their transaction's kind and metadata. */
export async function listLedgerEntries(
  context: StoreContext,
  filter: { accountId: string; limit: number },
): Promise<LedgerEntryView[]> {
  const rows = await context.db
    .selectFrom('ledger_entries')
    .innerJoin('ledger_transactions', 'ledger_transactions.id', 'ledger_entries.txn_id')
    .select([
      'ledger_entries.txn_id',
      'ledger_transactions.kind',
      'ledger_entries.amount_micros',
      'ledger_transactions.request_id',
      'ledger_transactions.actor',
      'ledger_transactions.reason',
      'ledger_entries.created_at',
    ])
    .where('ledger_entries.account_id', '=', filter.accountId)
    .orderBy('ledger_entries.id', 'desc')
    .limit(filter.limit)
    .execute();
  return rows.map((row) => ({
    transactionId: row.txn_id,
    kind: row.kind,
    amountMicros: row.amount_micros,
    requestId: row.request_id,
    actor: row.actor,
    reason: row.reason,
    createdAt: new Date(row.created_at),
  }));
}

export async function listUsageRecords(
  context: StoreContext,
  filter: { from: Date; to: Date; accountId?: string; keyId?: string; limit?: number },
): Promise<UsageRecord[]> {
  let query = context.db
    .selectFrom('usage_records')
    .selectAll()
    .where('created_at', '>=', toTimestamp(filter.from))
    .where('created_at', '<', toTimestamp(filter.to));
  if (filter.accountId !== undefined) query = query.where('account_id', '=', filter.accountId);
  if (filter.keyId !== undefined) query = query.where('key_id', '=', filter.keyId);
  query = query.orderBy('created_at').orderBy('request_id');
  if (filter.limit !== undefined) query = query.limit(filter.limit);
  const rows = await query.execute();
  return rows.map(mapUsageRow);
}

/** Σ charged to customers by usage transactions dated in [from, to), as a positive amount. */
export async function sumUsageCharges(
  context: StoreContext,
  filter: { from: Date; to: Date; accountId?: string },
): Promise<bigint> {
  let query = context.db
    .selectFrom('ledger_entries')
    .innerJoin('ledger_transactions', 'ledger_transactions.id', 'ledger_entries.txn_id')
    .select(
      sql<bigint>`cast(coalesce(-sum(ledger_entries.amount_micros), 0) as bigint)`.as('charged'),
    )
    .where('ledger_transactions.kind', '=', 'usage')
    .whereRef('ledger_entries.account_id', '=', 'ledger_transactions.account_id')
    .where('ledger_transactions.created_at', '>=', toTimestamp(filter.from))
    .where('ledger_transactions.created_at', '<', toTimestamp(filter.to));
  if (filter.accountId !== undefined) {
    query = query.where('ledger_transactions.account_id', '=', filter.accountId);
  }
  const row = await query.executeTakeFirstOrThrow();
  return row.charged;
}
