import { type Kysely, sql } from 'kysely';
import { createKyselyStore } from './create-kysely-store.ts';
import type { Database } from './database-schema.ts';
import { runMigrations } from './migrations/run-migrations.ts';
import { parseStoreUrl } from './parse-store-url.ts';
import { describePostgresServer } from './postgres/describe-postgres-server.ts';
import type { PostgresPoolOptions } from './postgres/open-postgres-database.ts';
import { createSqliteLedgerWrites } from './sqlite/create-sqlite-ledger-writes.ts';
import { createSqliteRunner } from './sqlite/create-sqlite-runner.ts';
import { createSqliteWriteQueue } from './sqlite/create-sqlite-write-queue.ts';
import { openSqliteConnection, openSqliteDatabase } from './sqlite/open-sqlite-database.ts';
import type { Store } from './store.ts';
import type { LedgerHotPath } from './store-context.ts';
import type { StoreLogger } from './store-logger.ts';
import type { TransactionRunner } from './transaction-runner.ts';

export interface OpenStoreOptions {
  /** `sqlite:<path>`, `sqlite::memory:`, a bare file path, or `postgres://…` / `postgresql://…`. */
  url: string;
  log?: StoreLogger;
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
  /** Clock for every timestamp the store writes (default `() => new Date()`). */
  now?: () => Date;
  /** PostgreSQL only: schema to create if missing and put first on `search_path`. */
  schema?: string;
  /** PostgreSQL only: pool limits. */
  pool?: PostgresPoolOptions;
}

/** Opens the store the URL names and, unless `migrate: false`, brings its schema up to date. */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const location = parseStoreUrl(options.url);
  const now = options.now ?? (() => new Date());
  let db: Kysely<Database>;
  let migrate: () => Promise<void>;
  let runner: TransactionRunner;
  let hotPath: LedgerHotPath | undefined;

  if (location.engine === 'sqlite') {
    const connection = openSqliteConnection(location.filename);
    db = openSqliteDatabase(connection);
    const queue = createSqliteWriteQueue(db, connection);
    runner = createSqliteRunner(db, connection, queue);
    hotPath = createSqliteLedgerWrites({ connection, queue, now });
    migrate = () => runMigrations({ db, engine: 'sqlite', ...logOption(options.log) });
  } else {
    // Loaded only for PostgreSQL: a SQLite gateway never carries the pg driver in memory.
    const [{ assertSchemaName, openPostgresDatabase }, { createPostgresRunner }] =
      await Promise.all([
        import('./postgres/open-postgres-database.ts'),
        import('./postgres/create-postgres-runner.ts'),
      ]);
    const schema = options.schema;
    if (schema !== undefined) assertSchemaName(schema);
    db = openPostgresDatabase({
      connectionString: location.connectionString,
      ...options.pool,
      ...(schema === undefined ? {} : { schema }),
      ...logOption(options.log),
    });
    runner = createPostgresRunner(db);
    const server = describePostgresServer(location.connectionString);
    migrate = async () => {
      // The first query: when it fails the server is down, unreachable or refusing us, and the
      // driver's message alone ("connect ECONNREFUSED …", "Connection terminated unexpectedly")
      // does not say that the database is what start-up could not reach.
      try {
        await sql`select 1`.execute(db);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`Cannot connect to PostgreSQL at ${server}: ${reason}`, { cause: error });
      }
      if (schema !== undefined)
        await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
      const migrationTableSchema = schema ?? (await currentSchema(db));
      await runMigrations({
        db,
        engine: 'postgres',
        migrationTableSchema,
        ...logOption(options.log),
      });
    };
  }

  const store = createKyselyStore({
    db,
    engine: location.engine,
    runner,
    now,
    migrate,
    ...(hotPath === undefined ? {} : { hotPath }),
  });
  if (options.migrate === false) return store;
  try {
    await store.migrate();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

function logOption(log: StoreLogger | undefined): { log?: StoreLogger } {
  return log === undefined ? {} : { log };
}

async function currentSchema(db: Kysely<Database>): Promise<string> {
  const result = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(
    db,
  );
  const schema = result.rows[0]?.schema;
  if (schema === undefined || schema === null) {
    throw new Error('PostgreSQL has no current schema; set one with the `schema` option.');
  }
  return schema;
}
