import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import type { Database, StoreEngine } from '../database-schema.ts';
import type { StoreLogger } from '../store-logger.ts';
import { createMigration0001 } from './migration-0001-accounts-and-api-keys.ts';
import { createMigration0002 } from './migration-0002-credit-ledger.ts';
import { createMigration0003 } from './migration-0003-lean-ledger-writes.ts';
import { createMigration0004 } from './migration-0004-console-users.ts';
import { createMigration0005 } from './migration-0005-lean-ledger-checks.ts';

/** Names sort in application order; never rename or reorder an applied migration. */
function listMigrations(engine: StoreEngine): Record<string, Migration> {
  return {
    '0001_accounts_and_api_keys': createMigration0001(engine),
    '0002_credit_ledger': createMigration0002(engine),
    '0003_lean_ledger_writes': createMigration0003(engine),
    '0004_console_users': createMigration0004(engine),
    '0005_lean_ledger_checks': createMigration0005(engine),
  };
}

export interface RunMigrationsOptions {
  db: Kysely<Database>;
  engine: StoreEngine;
  /**
   * PostgreSQL schema holding Kysely's bookkeeping tables. Required there: without it Kysely looks
   * for `kysely_migration` in every schema and can mistake another schema's table for ours.
   */
  migrationTableSchema?: string;
  log?: StoreLogger;
}

/** Applies every pending migration in one run; applying none is success. */
export async function runMigrations(options: RunMigrationsOptions): Promise<void> {
  const provider: MigrationProvider = {
    getMigrations: async () => listMigrations(options.engine),
  };
  const migrator = new Migrator({
    db: options.db,
    provider,
    ...(options.migrationTableSchema === undefined
      ? {}
      : { migrationTableSchema: options.migrationTableSchema }),
  });
  // SQLite: off for the whole run, which is one transaction (a table rebuild needs them off, and
  // the pragma does nothing inside a transaction); each rebuild checks them before it may succeed.
  if (options.engine === 'sqlite') await sql`pragma foreign_keys = off`.execute(options.db);
  try {
    await migrateToLatest(migrator, options);
  } finally {
    if (options.engine === 'sqlite') await sql`pragma foreign_keys = on`.execute(options.db);
  }
}

async function migrateToLatest(migrator: Migrator, options: RunMigrationsOptions): Promise<void> {
  // On SQLite the run's transaction begins IMMEDIATE (open-sqlite-database.ts): a second process
  // opening the file at the same time (the gateway and a CLI command, two gateways on one file)
  // waits for this one's run to commit, then finds nothing pending.
  const { error, results } = await migrator.migrateToLatest();
  let failed: string | undefined;
  for (const result of results ?? []) {
    if (result.status === 'Success') {
      options.log?.info({ migration: result.migrationName }, 'applied database migration');
    } else if (result.status === 'Error') {
      failed = result.migrationName;
      options.log?.error({ migration: result.migrationName }, 'database migration failed');
    }
  }
  if (error !== undefined) {
    throw new Error(migrationFailureMessage(error, failed), { cause: error });
  }
}

/**
 * What an operator reads when start-up stops here (the CLI prints only the message): which
 * migration and why, and in plain words the usual case of a downgrade, where the database knows a
 * migration this version does not.
 */
function migrationFailureMessage(error: unknown, failed: string | undefined): string {
  const reason = error instanceof Error ? error.message : String(error);
  const unknown = /previously executed migration (\S+) is missing/.exec(reason)?.[1];
  if (unknown !== undefined) {
    return `The database has migration ${unknown}, which this version does not know: a newer version of Shepherd migrated it. Run that version (or a later one), or restore a backup taken before the upgrade.`;
  }
  return failed === undefined
    ? `Database migration failed: ${reason}`
    : `Database migration ${failed} failed: ${reason}`;
}
