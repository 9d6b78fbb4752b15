import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { sql } from 'kysely';
import { openStore } from '../open-store.ts';
import { openSqliteDatabase } from '../sqlite/open-sqlite-database.ts';

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

test('stores opening one new SQLite file at once all migrate it (a gateway and a CLI command starting together)', async () => {
  for (let round = 0; round < 3; round += 1) {
    const filename = join(directory, `opened-together-${round}.db`);
    const opened = await Promise.allSettled(
      [1, 2, 3].map(() => openStore({ url: `sqlite:${filename}` })),
    );
    for (const result of opened) if (result.status === 'fulfilled') await result.value.close();
    const failures = opened.flatMap((result) =>
      result.status === 'rejected' ? [String((result.reason as Error).message)] : [],
    );
    assert.deepEqual(failures, []);
  }
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
