import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  Kysely,
  SqliteAdapter,
  SqliteDialect,
  SqliteDriver,
} from 'kysely';
import type { Database } from '../database-schema.ts';

const IN_MEMORY = ':memory:';

/**
 * Opens one better-sqlite3 connection. WAL lets readers run beside the single writer;
 * `synchronous=NORMAL` keeps commits durable across process crashes (not power loss) at a
 * fraction of FULL's cost; `busy_timeout` waits for another connection's writer instead of
 * failing with SQLITE_BUSY.
 *
 * Write throughput (docs/benchmarks.md, billing phase): every write runs in a savepoint of a
 * group commit, whose journal `temp_store=MEMORY` keeps off the disk; each request inserts into
 * indexes keyed by random ids, so the page cache is 64 MiB (allocated only as pages are read)
 * instead of 2 MiB; and a checkpoint every 4,000 WAL pages instead of 1,000 copies a hot page
 * back to the database once where it would have copied it four times.
 */
export function openSqliteConnection(filename: string): BetterSqlite3.Database {
  if (filename !== IN_MEMORY) mkdirSync(dirname(filename), { recursive: true });
  const connection = new BetterSqlite3(filename);
  connection.pragma('journal_mode = WAL');
  connection.pragma('synchronous = NORMAL');
  connection.pragma('busy_timeout = 5000');
  connection.pragma('foreign_keys = ON');
  connection.pragma('temp_store = MEMORY');
  connection.pragma('cache_size = -65536');
  connection.pragma('wal_autocheckpoint = 4000');
  // Every INTEGER reads back as bigint, matching PostgreSQL's int8 parsing (money must not round).
  connection.defaultSafeIntegers(true);
  return connection;
}

/**
 * SQLite runs DDL inside transactions, but Kysely's adapter says it does not, so its migrator ran
 * each statement on its own: a migration that failed halfway (a full disk, a kill) left its first
 * tables behind without its record, and every later start failed on them ("table … already
 * exists"). Saying so makes the migrator run the pending migrations and their records in one
 * transaction. The adapter is asked nothing else.
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/**
 * Kysely's transactions on the connection, which only the migrator opens (the store's own run on
 * the raw connection). BEGIN IMMEDIATE takes the write lock before the migrator reads what is
 * pending, so beside another process's writer it waits (`busy_timeout`) rather than reading a
 * snapshot its first write then may not build on ("database is locked"). ROLLBACK only while a
 * transaction is open: SQLite ends one itself on a full disk or an I/O error, and a ROLLBACK then
 * fails with "no transaction is active", an error that replaced the one that mattered.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  readonly #connection: BetterSqlite3.Database;

  constructor(connection: BetterSqlite3.Database) {
    super({ database: connection });
    this.#connection = connection;
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.#connection.inTransaction) await super.rollbackTransaction(connection);
  }
}

class TransactionalDdlSqliteDialect extends SqliteDialect {
  readonly #connection: BetterSqlite3.Database;

  constructor(connection: BetterSqlite3.Database) {
    super({ database: connection });
    this.#connection = connection;
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#connection);
  }
}

/** Kysely over one connection (a file name opens a new one); Kysely serialises queries on it. */
export function openSqliteDatabase(source: string | BetterSqlite3.Database): Kysely<Database> {
  const connection = typeof source === 'string' ? openSqliteConnection(source) : source;
  return new Kysely<Database>({
    dialect: new TransactionalDdlSqliteDialect(connection),
  });
}
