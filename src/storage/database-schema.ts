import type { ColumnType, Generated } from 'kysely';
import type { LedgerTransactionKind } from './ledger-store.ts';

/**
 * Kysely's view of the tables. Timestamps are ISO-8601 UTC text on both engines. Integer columns
 * (money as BIGINT micro-units, token counts) read back as `bigint` on both engines: PostgreSQL via
 * `parseInt8` and SQLite via better-sqlite3's safe integers. Durations are double precision.
 */
export interface AccountsTable {
  id: string;
  name: string;
  created_at: string;
  disabled_at: string | null;
}

export interface ApiKeysTable {
  id: string;
  account_id: string;
  name: string;
  prefix: string;
  last_four: string;
  key_hash: string;
  created_at: string;
  revoked_at: string | null;
  expires_at: string | null;
  last_used_at: string | null;
  monthly_spend_cap_micros: bigint | null;
  /** JSON array of public model ids; null = every model. */
  allowed_models: string | null;
}

/** A BIGINT counter written from a `number` or a `bigint`, read as `bigint`. */
type Int64 = ColumnType<bigint, bigint | number, bigint | number>;

export interface LedgerBalancesTable {
  account_id: string;
  posted_micros: bigint;
  held_micros: bigint;
}

export interface LedgerTransactionsTable {
  id: string;
  kind: LedgerTransactionKind;
  /** The customer account the transaction is about. */
  account_id: string;
  idem_key: string;
  payload_hash: string;
  request_id: string | null;
  actor: string | null;
  reason: string | null;
  created_at: string;
}

export interface LedgerEntriesTable {
  /** Identity / rowid: the order entries were written in. */
  id: Generated<bigint>;
  txn_id: string;
  account_id: string;
  amount_micros: bigint;
  created_at: string;
}

export type HoldState = 'open' | 'settled' | 'voided' | 'expired';

export interface LedgerHoldsTable {
  request_id: string;
  account_id: string;
  key_id: string;
  amount_micros: bigint;
  state: HoldState;
  created_at: string;
  expires_at: string;
  resolved_at: string | null;
  owner: string | null;
}

export interface UsageRecordsTable {
  request_id: string;
  account_id: string;
  key_id: string;
  requested_model: string;
  served_model: string;
  provider: string;
  upstream_model: string;
  status: 'ok' | 'error' | 'client_closed';
  error_code: string | null;
  input_tokens: Int64;
  cached_input_tokens: Int64;
  cache_write_tokens: Int64;
  cache_write_1h_tokens: Int64;
  output_tokens: Int64;
  reasoning_tokens: Int64;
  cost_micros: bigint;
  currency: string;
  exchange_rate: string;
  /** 1 when the tokens were estimated, else 0 (an integer: better-sqlite3 binds no booleans). */
  estimated: Int64;
  time_to_first_token_ms: number | null;
  time_to_first_reasoning_ms: number | null;
  time_to_first_content_ms: number | null;
  upstream_time_to_first_byte_ms: number | null;
  total_ms: number;
  tokens_per_second: number | null;
  chunks: Int64;
  gateway_overhead_ms: number | null;
  attempts: string;
  created_at: string;
}

export interface VoucherBatchesTable {
  id: string;
  name: string;
  amount_micros: bigint;
  count: Int64;
  created_by: string;
  created_at: string;
  expires_at: string | null;
}

export interface VouchersTable {
  id: string;
  batch_id: string;
  code_hash: string;
  code_last_four: string;
  redeemed_at: string | null;
  redeemed_by: string | null;
}

export type ConsoleRole = 'user' | 'admin';

export interface ConsoleUsersTable {
  id: string;
  /** As typed at signup, lowercased; unique case-insensitively (an index on `lower(email)`). */
  email: string;
  /** `scrypt$N$r$p$salt$hash` (base64url): the parameters travel with the hash. */
  password_hash: string;
  account_id: string;
  role: ConsoleRole;
  /** `ko` or `en`: the console's language for this user. */
  locale: string;
  /** 1 when disabled, else 0 (an integer: better-sqlite3 binds no booleans). */
  disabled: Int64;
  created_at: string;
  last_login_at: string | null;
}

export interface ConsoleSessionsTable {
  /** SHA-256 (hex) of the session id in the cookie; the id itself is never stored. */
  id_hash: string;
  user_id: string;
  /** SHA-256 (hex) of the session's CSRF token. */
  csrf_token_hash: string;
  created_at: string;
  expires_at: string;
}

export interface Database {
  console_users: ConsoleUsersTable;
  console_sessions: ConsoleSessionsTable;
  accounts: AccountsTable;
  api_keys: ApiKeysTable;
  ledger_balances: LedgerBalancesTable;
  ledger_transactions: LedgerTransactionsTable;
  ledger_entries: LedgerEntriesTable;
  ledger_holds: LedgerHoldsTable;
  usage_records: UsageRecordsTable;
  voucher_batches: VoucherBatchesTable;
  vouchers: VouchersTable;
}

export type StoreEngine = 'sqlite' | 'postgres';
