/**
 * Kysely's view of the tables. Timestamps are ISO-8601 UTC text on both engines. Integer columns
 * added later (money as BIGINT micro-units) read back as `bigint` on both engines: PostgreSQL via
 * `parseInt8` and SQLite via better-sqlite3's safe integers.
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
}

export interface Database {
  accounts: AccountsTable;
  api_keys: ApiKeysTable;
}

export type StoreEngine = 'sqlite' | 'postgres';
