import { type Kysely, type Migration, sql } from 'kysely';
import type { StoreEngine } from '../database-schema.ts';
import { type RebuiltTable, rebuildSqliteTables } from './rebuild-sqlite-tables.ts';

/**
 * Fewer b-tree writes per billed request (docs/benchmarks.md, billing phase): every index a row
 * joins is one more b-tree insert, and one more page the group commit writes to the WAL.
 *
 * Both engines: the three hold indexes, each on `state` and one column, become one index of open
 * holds only, by key (`where state = 'open'`). A reserve adds one entry to it and a settle removes
 * it, instead of inserting into three ever-growing indexes and moving the hold within all three.
 * Open holds are the only ones looked for: a key's monthly cap (every capped reserve) searches the
 * index by key; the sweeper and an instance's restart, which look for expired or their own open
 * holds, scan it whole. That scan is short: a hold is open only while its request runs, or until
 * the sweeper expires it.
 *
 * SQLite also rebuilds the four tables keyed by text (balances, transactions, holds, usage
 * records) as WITHOUT ROWID tables: the row lives in its primary key's b-tree, so an insert or a
 * lookup by key touches one b-tree instead of the key's index and then the rowid table. Columns,
 * constraints, triggers and the other indexes are those of migration 0002, but for the index of
 * transactions by request id, which gains `kind` (see below). `ledger_entries` keeps its integer
 * key (a rowid already).
 */
export function createMigration0003(engine: StoreEngine): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (engine === 'sqlite') {
        await rebuildSqliteTables(db, REBUILT_TABLES, '0003');
        return;
      }
      await replaceHoldIndexes(db);
    },
  };
}

const OPEN_HOLD_INDEX =
  "create index ledger_holds_open_key_id on ledger_holds (key_id) where state = 'open'";

async function replaceHoldIndexes(db: Kysely<unknown>): Promise<void> {
  for (const index of [
    'ledger_holds_state_expires_at',
    'ledger_holds_owner_state',
    'ledger_holds_key_id_state',
  ]) {
    await db.schema.dropIndex(index).execute();
  }
  await sql.raw(OPEN_HOLD_INDEX).execute(db);
}

/** The CREATE TABLE bodies are migration 0002's; every table becomes WITHOUT ROWID. */
const REBUILT_TABLES: RebuiltTable[] = [
  {
    name: 'ledger_balances',
    definition: `account_id text primary key,
      posted_micros bigint default 0 not null,
      held_micros bigint default 0 not null,
      constraint ledger_balances_held_not_negative check (held_micros >= 0)`,
    options: 'without rowid',
    columns: ['account_id', 'posted_micros', 'held_micros'],
    indexes: [],
  },
  {
    name: 'ledger_transactions',
    definition: `id text primary key,
      kind text not null,
      account_id text not null references ledger_balances (account_id),
      idem_key text not null unique,
      payload_hash text not null,
      request_id text,
      actor text,
      reason text,
      created_at text not null,
      constraint ledger_transactions_kind
        check (kind in ('top_up', 'signup_bonus', 'voucher', 'adjustment', 'refund', 'usage'))`,
    options: 'without rowid',
    columns: [
      'id',
      'kind',
      'account_id',
      'idem_key',
      'payload_hash',
      'request_id',
      'actor',
      'reason',
      'created_at',
    ],
    indexes: [
      // With `kind` in it, a usage transaction's lookup (`kind = 'usage' and request_id = ?`, the
      // ledger check's) matches this index on both columns, so the planner never prefers
      // (kind, created_at), a scan of every usage transaction, as it may for a WITHOUT ROWID table.
      'create index ledger_transactions_request_id_kind on ledger_transactions (request_id, kind)',
      'create index ledger_transactions_kind_created_at on ledger_transactions (kind, created_at)',
      ...['update', 'delete'].map(
        (event) => `create trigger ledger_transactions_no_${event} before ${event}
          on ledger_transactions
          begin select raise(abort, 'ledger_transactions is append-only'); end`,
      ),
    ],
  },
  {
    name: 'ledger_holds',
    definition: `request_id text primary key,
      account_id text not null references ledger_balances (account_id),
      key_id text not null,
      amount_micros bigint not null,
      state text not null,
      created_at text not null,
      expires_at text not null,
      resolved_at text,
      owner text,
      constraint ledger_holds_amount_not_negative check (amount_micros >= 0),
      constraint ledger_holds_state check (state in ('open', 'settled', 'voided', 'expired'))`,
    options: 'without rowid',
    columns: [
      'request_id',
      'account_id',
      'key_id',
      'amount_micros',
      'state',
      'created_at',
      'expires_at',
      'resolved_at',
      'owner',
    ],
    indexes: [OPEN_HOLD_INDEX],
  },
  {
    name: 'usage_records',
    definition: `request_id text primary key,
      account_id text not null references ledger_balances (account_id),
      key_id text not null,
      requested_model text not null,
      served_model text not null,
      provider text not null,
      upstream_model text not null,
      status text not null,
      error_code text,
      input_tokens bigint not null,
      cached_input_tokens bigint not null,
      cache_write_tokens bigint not null,
      cache_write_1h_tokens bigint not null,
      output_tokens bigint not null,
      reasoning_tokens bigint not null,
      cost_micros bigint not null,
      currency text not null,
      exchange_rate text not null,
      estimated bigint not null,
      time_to_first_token_ms double precision,
      time_to_first_reasoning_ms double precision,
      time_to_first_content_ms double precision,
      upstream_time_to_first_byte_ms double precision,
      total_ms double precision not null,
      tokens_per_second double precision,
      chunks bigint not null,
      gateway_overhead_ms double precision,
      attempts text not null,
      created_at text not null,
      constraint usage_records_cost_not_negative check (cost_micros >= 0)`,
    options: 'without rowid',
    columns: [
      'request_id',
      'account_id',
      'key_id',
      'requested_model',
      'served_model',
      'provider',
      'upstream_model',
      'status',
      'error_code',
      'input_tokens',
      'cached_input_tokens',
      'cache_write_tokens',
      'cache_write_1h_tokens',
      'output_tokens',
      'reasoning_tokens',
      'cost_micros',
      'currency',
      'exchange_rate',
      'estimated',
      'time_to_first_token_ms',
      'time_to_first_reasoning_ms',
      'time_to_first_content_ms',
      'upstream_time_to_first_byte_ms',
      'total_ms',
      'tokens_per_second',
      'chunks',
      'gateway_overhead_ms',
      'attempts',
      'created_at',
    ],
    indexes: [
      'create index usage_records_account_id_created_at on usage_records (account_id, created_at)',
      'create index usage_records_key_id_created_at on usage_records (key_id, created_at)',
      'create index usage_records_created_at on usage_records (created_at)',
    ],
  },
];
