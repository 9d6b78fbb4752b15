import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Migrator, sql } from 'kysely';
import { openStore } from '../open-store.ts';
import { openSqliteDatabase } from '../sqlite/open-sqlite-database.ts';
import { createMigration0001 } from './migration-0001-accounts-and-api-keys.ts';
import { createMigration0002 } from './migration-0002-credit-ledger.ts';
import { createMigration0003 } from './migration-0003-lean-ledger-writes.ts';
import { createMigration0004 } from './migration-0004-console-users.ts';

const directory = mkdtempSync(join(tmpdir(), 'shepherd-run-migrations-'));
after(() => rmSync(directory, { recursive: true, force: true }));

test('a database a newer version migrated is refused with a message that says so', async () => {
  const filename = join(directory, 'from-the-future.db');
  await (await openStore({ url: `sqlite:${filename}` })).close();
  // What a later release's migration leaves behind; this version then starts on the same file.
  const db = openSqliteDatabase(filename);
  await sql`insert into kysely_migration (name, timestamp) values ('0099_from_a_newer_release', '2027-01-01T00:00:00.000Z')`.execute(
    db,
  );
  await db.destroy();

  await assert.rejects(openStore({ url: `sqlite:${filename}` }), (error: Error) => {
    assert.match(error.message, /0099_from_a_newer_release/);
    assert.match(error.message, /newer version of Shepherd/);
    return true;
  });
});

test('a migration that fails says which one and why', async () => {
  const filename = join(directory, 'taken-name.db');
  // A table in the way of the first migration's: its CREATE TABLE fails.
  const db = openSqliteDatabase(filename);
  await sql`create table accounts (unrelated integer)`.execute(db);
  await db.destroy();

  await assert.rejects(openStore({ url: `sqlite:${filename}` }), (error: Error) => {
    assert.match(error.message, /0001_accounts_and_api_keys/);
    assert.match(error.message, /"accounts" already exists/);
    return true;
  });
});

test('a SQLite migration that fails halfway leaves nothing behind, so the next start applies it', async () => {
  const filename = join(directory, 'halfway.db');
  // In the way of migration 0004's second table, after its first table and indexes were made:
  // what a full disk or a kill at that moment leaves too.
  const db = openSqliteDatabase(filename);
  await sql`create table console_sessions (unrelated integer)`.execute(db);
  await db.destroy();
  await assert.rejects(openStore({ url: `sqlite:${filename}` }), /0004_console_users/);

  const fixing = openSqliteDatabase(filename);
  await sql`drop table console_sessions`.execute(fixing);
  await fixing.destroy();
  const store = await openStore({ url: `sqlite:${filename}` });
  await store.close();
});

test('a migration SQLite itself rolled back is reported with its own error, not the ROLLBACK after it', async () => {
  const filename = join(directory, 'rolled-back.db');
  // SQLite ends the transaction on its own for a full disk or an I/O error; a trigger's
  // RAISE(ROLLBACK) does the same, on the migrator's record of the first migration.
  const db = openSqliteDatabase(filename);
  await sql`create table kysely_migration (name varchar(255) primary key, timestamp varchar(255) not null)`.execute(
    db,
  );
  await sql`create trigger refuse_records before insert on kysely_migration
    begin select raise(rollback, 'the disk is full (played by a trigger)'); end`.execute(db);
  await db.destroy();

  await assert.rejects(openStore({ url: `sqlite:${filename}` }), (error: Error) => {
    assert.match(error.message, /0001_accounts_and_api_keys/);
    assert.match(error.message, /the disk is full \(played by a trigger\)/);
    return true;
  });
});

test('an upgrade waits for another process’s write instead of failing on it', async () => {
  const filename = join(directory, 'upgrade-beside-a-writer.db');
  // A database one release old: migration 0005 is pending.
  const db = openSqliteDatabase(filename);
  const migrator = new Migrator({
    db,
    provider: {
      getMigrations: async () => ({
        '0001_accounts_and_api_keys': createMigration0001('sqlite'),
        '0002_credit_ledger': createMigration0002('sqlite'),
        '0003_lean_ledger_writes': createMigration0003('sqlite'),
        '0004_console_users': createMigration0004('sqlite'),
      }),
    },
  });
  assert.equal((await migrator.migrateToLatest()).error, undefined);
  await db.destroy();

  // The running gateway of that release, writing: it holds the write lock for a moment and
  // commits a change while the new release's CLI starts its upgrade.
  const writer = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import Database from 'better-sqlite3';
      const db = new Database(process.argv[1]);
      db.pragma('busy_timeout = 5000');
      db.exec('begin immediate');
      db.exec("insert into accounts (id, name, created_at) values ('acct_writer', 'writer', '2026-11-25T00:00:00.000Z')");
      process.stdout.write('locked\\n');
      const until = Date.now() + 700;
      while (Date.now() < until) {}
      db.exec('commit');
      db.close();`,
      filename,
    ],
    { cwd: new URL('../../..', import.meta.url).pathname, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await once(writer.stdout, 'data');
  try {
    const store = await openStore({ url: `sqlite:${filename}` });
    assert.ok(await store.getAccountByName('writer'));
    await store.close();
  } finally {
    if (writer.exitCode === null) await once(writer, 'exit');
  }
});
