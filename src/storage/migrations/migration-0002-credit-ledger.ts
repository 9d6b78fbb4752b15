import { type Kysely, type Migration, sql } from 'kysely';
import type { StoreEngine } from '../database-schema.ts';
import { SYSTEM_ACCOUNTS } from '../ledger-store.ts';

/**
 * The credit ledger (docs/decisions/0003-credit-ledger.md): balances, transactions, append-only
 * entries, holds, usage records, vouchers, and the per-key policy columns. Money is BIGINT
 * micro-units on both engines (SQLite INTEGER affinity is 64-bit). Only the entry id differs by
 * engine: a rowid alias on SQLite, an identity column on PostgreSQL.
 */
export function createMigration0002(engine: StoreEngine): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .alterTable('api_keys')
        .addColumn('monthly_spend_cap_micros', 'bigint')
        .execute();
      await db.schema.alterTable('api_keys').addColumn('allowed_models', 'text').execute();

      await db.schema
        .createTable('ledger_balances')
        .addColumn('account_id', 'text', (column) => column.primaryKey())
        .addColumn('posted_micros', 'bigint', (column) => column.notNull().defaultTo(0))
        .addColumn('held_micros', 'bigint', (column) => column.notNull().defaultTo(0))
        .addCheckConstraint('ledger_balances_held_not_negative', sql`held_micros >= 0`)
        .execute();
      for (const accountId of Object.values(SYSTEM_ACCOUNTS)) {
        await sql`insert into ledger_balances (account_id, posted_micros, held_micros)
          values (${accountId}, 0, 0)`.execute(db);
      }
      await sql`insert into ledger_balances (account_id, posted_micros, held_micros)
        select id, 0, 0 from accounts`.execute(db);

      await createTransactionTables(db, engine);
      await createHoldsAndUsage(db);
      await createVoucherTables(db);
      await forbidChanges(db, engine, 'ledger_entries');
      await forbidChanges(db, engine, 'ledger_transactions');
    },
  };
}

async function createTransactionTables(db: Kysely<unknown>, engine: StoreEngine): Promise<void> {
  await db.schema
    .createTable('ledger_transactions')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('kind', 'text', (column) => column.notNull())
    .addColumn('account_id', 'text', (column) =>
      column.notNull().references('ledger_balances.account_id'),
    )
    .addColumn('idem_key', 'text', (column) => column.notNull().unique())
    .addColumn('payload_hash', 'text', (column) => column.notNull())
    .addColumn('request_id', 'text')
    .addColumn('actor', 'text')
    .addColumn('reason', 'text')
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addCheckConstraint(
      'ledger_transactions_kind',
      sql`kind in ('top_up', 'signup_bonus', 'voucher', 'adjustment', 'refund', 'usage')`,
    )
    .execute();
  await db.schema
    .createIndex('ledger_transactions_request_id')
    .on('ledger_transactions')
    .column('request_id')
    .execute();
  await db.schema
    .createIndex('ledger_transactions_kind_created_at')
    .on('ledger_transactions')
    .columns(['kind', 'created_at'])
    .execute();

  await db.schema
    .createTable('ledger_entries')
    .addColumn('id', engine === 'sqlite' ? 'integer' : 'bigint', (column) =>
      engine === 'sqlite' ? column.primaryKey() : column.primaryKey().generatedAlwaysAsIdentity(),
    )
    .addColumn('txn_id', 'text', (column) => column.notNull().references('ledger_transactions.id'))
    .addColumn('account_id', 'text', (column) =>
      column.notNull().references('ledger_balances.account_id'),
    )
    .addColumn('amount_micros', 'bigint', (column) => column.notNull())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addCheckConstraint('ledger_entries_amount_not_zero', sql`amount_micros <> 0`)
    .execute();
  await db.schema
    .createIndex('ledger_entries_account_id')
    .on('ledger_entries')
    .column('account_id')
    .execute();
  await db.schema
    .createIndex('ledger_entries_txn_id')
    .on('ledger_entries')
    .column('txn_id')
    .execute();
}

async function createHoldsAndUsage(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ledger_holds')
    .addColumn('request_id', 'text', (column) => column.primaryKey())
    .addColumn('account_id', 'text', (column) =>
      column.notNull().references('ledger_balances.account_id'),
    )
    .addColumn('key_id', 'text', (column) => column.notNull())
    .addColumn('amount_micros', 'bigint', (column) => column.notNull())
    .addColumn('state', 'text', (column) => column.notNull())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('expires_at', 'text', (column) => column.notNull())
    .addColumn('resolved_at', 'text')
    // The gateway instance that made the hold: a restarted instance voids its dead self's holds.
    .addColumn('owner', 'text')
    .addCheckConstraint('ledger_holds_amount_not_negative', sql`amount_micros >= 0`)
    .addCheckConstraint(
      'ledger_holds_state',
      sql`state in ('open', 'settled', 'voided', 'expired')`,
    )
    .execute();
  await db.schema
    .createIndex('ledger_holds_state_expires_at')
    .on('ledger_holds')
    .columns(['state', 'expires_at'])
    .execute();
  await db.schema
    .createIndex('ledger_holds_owner_state')
    .on('ledger_holds')
    .columns(['owner', 'state'])
    .execute();
  await db.schema
    .createIndex('ledger_holds_key_id_state')
    .on('ledger_holds')
    .columns(['key_id', 'state'])
    .execute();

  await db.schema
    .createTable('usage_records')
    .addColumn('request_id', 'text', (column) => column.primaryKey())
    .addColumn('account_id', 'text', (column) =>
      column.notNull().references('ledger_balances.account_id'),
    )
    .addColumn('key_id', 'text', (column) => column.notNull())
    .addColumn('requested_model', 'text', (column) => column.notNull())
    .addColumn('served_model', 'text', (column) => column.notNull())
    .addColumn('provider', 'text', (column) => column.notNull())
    .addColumn('upstream_model', 'text', (column) => column.notNull())
    .addColumn('status', 'text', (column) => column.notNull())
    .addColumn('error_code', 'text')
    .addColumn('input_tokens', 'bigint', (column) => column.notNull())
    .addColumn('cached_input_tokens', 'bigint', (column) => column.notNull())
    .addColumn('cache_write_tokens', 'bigint', (column) => column.notNull())
    .addColumn('cache_write_1h_tokens', 'bigint', (column) => column.notNull())
    .addColumn('output_tokens', 'bigint', (column) => column.notNull())
    .addColumn('reasoning_tokens', 'bigint', (column) => column.notNull())
    .addColumn('cost_micros', 'bigint', (column) => column.notNull())
    .addColumn('currency', 'text', (column) => column.notNull())
    .addColumn('exchange_rate', 'text', (column) => column.notNull())
    .addColumn('estimated', 'bigint', (column) => column.notNull())
    .addColumn('time_to_first_token_ms', 'double precision')
    .addColumn('time_to_first_reasoning_ms', 'double precision')
    .addColumn('time_to_first_content_ms', 'double precision')
    .addColumn('upstream_time_to_first_byte_ms', 'double precision')
    .addColumn('total_ms', 'double precision', (column) => column.notNull())
    .addColumn('tokens_per_second', 'double precision')
    .addColumn('chunks', 'bigint', (column) => column.notNull())
    .addColumn('gateway_overhead_ms', 'double precision')
    .addColumn('attempts', 'text', (column) => column.notNull())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addCheckConstraint('usage_records_cost_not_negative', sql`cost_micros >= 0`)
    .execute();
  for (const columns of [['account_id', 'created_at'], ['key_id', 'created_at'], ['created_at']]) {
    await db.schema
      .createIndex(`usage_records_${columns.join('_')}`)
      .on('usage_records')
      .columns(columns)
      .execute();
  }
}

async function createVoucherTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('voucher_batches')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('amount_micros', 'bigint', (column) => column.notNull())
    .addColumn('count', 'bigint', (column) => column.notNull())
    .addColumn('created_by', 'text', (column) => column.notNull())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('expires_at', 'text')
    .addCheckConstraint('voucher_batches_amount_positive', sql`amount_micros > 0`)
    .execute();
  await db.schema
    .createTable('vouchers')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('batch_id', 'text', (column) => column.notNull().references('voucher_batches.id'))
    .addColumn('code_hash', 'text', (column) => column.notNull().unique())
    .addColumn('code_last_four', 'text', (column) => column.notNull())
    .addColumn('redeemed_at', 'text')
    .addColumn('redeemed_by', 'text')
    .execute();
  await db.schema.createIndex('vouchers_batch_id').on('vouchers').column('batch_id').execute();
}

/** Entries and transactions are append-only (I9): corrections are new, reversing transactions. */
async function forbidChanges(db: Kysely<unknown>, engine: StoreEngine, table: string) {
  const message = `${table} is append-only`;
  if (engine === 'sqlite') {
    for (const event of ['update', 'delete']) {
      await sql`${sql.raw(`create trigger ${table}_no_${event} before ${event} on ${table}
        begin select raise(abort, '${message}'); end`)}`.execute(db);
    }
    return;
  }
  await sql`${sql.raw(`create function ${table}_append_only() returns trigger language plpgsql
    as $$ begin raise exception '${message}'; end $$`)}`.execute(db);
  await sql`${sql.raw(`create trigger ${table}_append_only before update or delete on ${table}
    for each row execute function ${table}_append_only()`)}`.execute(db);
}
