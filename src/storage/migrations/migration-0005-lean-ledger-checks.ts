import { type Kysely, type Migration, sql } from 'kysely';
import type { StoreEngine } from '../database-schema.ts';
import { type RebuiltTable, rebuildSqliteTables } from './rebuild-sqlite-tables.ts';

/**
 * Less work per billed request (docs/benchmarks.md, billing phase), the same rules.
 *
 * Both engines drop the index of transactions by request id: every lookup of a request's usage
 * transaction goes through its unique idempotency key (`usage:<request id>`), whose index each
 * transaction has anyway, so that index was one more b-tree insert per settle that no query needed.
 *
 * SQLite also rebuilds `ledger_holds` and `ledger_transactions` to spell their CHECK constraints
 * on `state` and `kind` as comparisons joined by OR: SQLite evaluates a constant IN list of more
 * than two values by filling a temporary b-tree with it, on every insert and every update of the
 * row, which cost more than the rest of the hold's insert. The constraints keep their names and
 * accept exactly the same values (a NULL is refused by NOT NULL before either form would see it).
 * Columns, keys, the open-hold index and the append-only triggers are those of migration 0003.
 */
export function createMigration0005(engine: StoreEngine): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (engine === 'sqlite') {
        await rebuildSqliteTables(db, REBUILT_TABLES, '0005');
        return;
      }
      await sql`drop index ledger_transactions_request_id`.execute(db);
    },
  };
}

/** `column = 'a' or column = 'b' or …`: the IN list of a CHECK, without SQLite's temporary b-tree. */
function oneOf(column: string, values: readonly string[]): string {
  return values.map((value) => `${column} = '${value}'`).join(' or ');
}

const REBUILT_TABLES: RebuiltTable[] = [
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
      constraint ledger_transactions_kind check (${oneOf('kind', [
        'top_up',
        'signup_bonus',
        'voucher',
        'adjustment',
        'refund',
        'usage',
      ])})`,
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
      constraint ledger_holds_state check (${oneOf('state', [
        'open',
        'settled',
        'voided',
        'expired',
      ])})`,
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
    indexes: [
      "create index ledger_holds_open_key_id on ledger_holds (key_id) where state = 'open'",
    ],
  },
];
