import { sql } from 'kysely';
import type { ConsoleStore } from './console-store.ts';
import { toTimestamp } from './map-rows.ts';
import { mapUsageRow } from './map-usage-rows.ts';
import type { StoreContext } from './store-context.ts';

type ConsoleActivityQueries = Pick<
  ConsoleStore,
  'listNonUsageLedgerEntries' | 'listDailyUsageCharges' | 'listRecentUsageRecords'
>;

/** The console's account-scoped reads of the ledger and usage rows. */
export function createConsoleActivityQueries(context: StoreContext): ConsoleActivityQueries {
  const { db } = context;
  return {
    async listNonUsageLedgerEntries(filter) {
      const rows = await db
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
        .where('ledger_transactions.kind', '<>', 'usage')
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
    },

    // Timestamps are ISO-8601 UTC text, so their first ten characters are the UTC day.
    async listDailyUsageCharges(filter) {
      const day = sql<string>`substr(ledger_transactions.created_at, 1, 10)`;
      const rows = await db
        .selectFrom('ledger_entries')
        .innerJoin('ledger_transactions', 'ledger_transactions.id', 'ledger_entries.txn_id')
        .select([
          day.as('day'),
          sql<bigint>`cast(coalesce(-sum(ledger_entries.amount_micros), 0) as bigint)`.as(
            'charged',
          ),
          sql<bigint>`cast(count(*) as bigint)`.as('transactions'),
        ])
        .where('ledger_transactions.kind', '=', 'usage')
        .where('ledger_transactions.account_id', '=', filter.accountId)
        .where('ledger_entries.account_id', '=', filter.accountId)
        .where('ledger_transactions.created_at', '>=', toTimestamp(filter.from))
        .where('ledger_transactions.created_at', '<', toTimestamp(filter.to))
        .groupBy(day)
        .orderBy(day, 'desc')
        .execute();
      return rows.map((row) => ({
        date: row.day,
        chargedMicros: row.charged,
        transactions: Number(row.transactions),
      }));
    },

    async listRecentUsageRecords(filter) {
      let query = db
        .selectFrom('usage_records')
        .selectAll()
        .where('account_id', '=', filter.accountId);
      const { before, model, keyId } = filter;
      if (before !== undefined) {
        const createdAt = toTimestamp(before.createdAt);
        query = query.where((expression) =>
          expression.or([
            expression('created_at', '<', createdAt),
            expression.and([
              expression('created_at', '=', createdAt),
              expression('request_id', '<', before.requestId),
            ]),
          ]),
        );
      }
      if (model !== undefined) {
        query = query.where((expression) =>
          expression.or([
            expression('requested_model', '=', model),
            expression('served_model', '=', model),
          ]),
        );
      }
      if (keyId !== undefined) query = query.where('key_id', '=', keyId);
      const rows = await query
        .orderBy('created_at', 'desc')
        .orderBy('request_id', 'desc')
        .limit(filter.limit)
        .execute();
      return rows.map(mapUsageRow);
    },
  };
}
