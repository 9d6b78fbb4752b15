import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../database-schema.ts';

const IN_MEMORY = ':memory:';

/**
 * Opens one better-sqlite3 connection. WAL lets readers run beside the single writer;
 * `synchronous=NORMAL` keeps commits durable across process crashes (not power loss) at a
 * fraction of FULL's cost; `busy_timeout` waits for another connection's writer instead of
 * failing with SQLITE_BUSY.
 */
export function openSqliteConnection(filename: string): BetterSqlite3.Database {
  if (filename !== IN_MEMORY) mkdirSync(dirname(filename), { recursive: true });
  const connection = new BetterSqlite3(filename);
  connection.pragma('journal_mode = WAL');
  connection.pragma('synchronous = NORMAL');
  connection.pragma('busy_timeout = 5000');
  connection.pragma('foreign_keys = ON');
  // Every INTEGER reads back as bigint, matching PostgreSQL's int8 parsing (money must not round).
  connection.defaultSafeIntegers(true);
  return connection;
}

/** Kysely over one connection (a file name opens a new one); Kysely serialises queries on it. */
export function openSqliteDatabase(source: string | BetterSqlite3.Database): Kysely<Database> {
  const connection = typeof source === 'string' ? openSqliteConnection(source) : source;
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: connection }) });
}
