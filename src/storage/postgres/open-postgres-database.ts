import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from '../database-schema.ts';
import type { StoreLogger } from '../store-logger.ts';
import { pg } from './load-pg.ts';
import { postgresTypes } from './parse-int8.ts';

export interface PostgresPoolOptions {
  /** Most connections this process opens. */
  maxConnections?: number;
  /** Milliseconds to wait for a connection before failing. */
  connectionTimeoutMs?: number;
  /** Server-side limit per statement, milliseconds. */
  statementTimeoutMs?: number;
}

export interface OpenPostgresOptions extends PostgresPoolOptions {
  connectionString: string;
  /** Put first on `search_path`, so tables and migrations live there (tests isolate with it). */
  schema?: string;
  log?: StoreLogger;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertSchemaName(schema: string): void {
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error('A PostgreSQL schema name must match [a-z_][a-z0-9_]{0,62}.');
  }
}

export function openPostgresDatabase(options: OpenPostgresOptions): Kysely<Database> {
  if (options.schema !== undefined) assertSchemaName(options.schema);
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: options.statementTimeoutMs ?? 15_000,
    idle_in_transaction_session_timeout: 60_000,
    application_name: 'shepherd',
    types: postgresTypes,
    ...(options.schema === undefined ? {} : { options: `-c search_path=${options.schema}` }),
  });
  // An idle client losing its server emits 'error' on the pool; unhandled, it would kill the process.
  pool.on('error', (error) => {
    options.log?.warn({ error: error.message }, 'idle PostgreSQL connection failed');
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
