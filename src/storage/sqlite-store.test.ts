import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { sql } from 'kysely';
import { runMigrations } from './migrations/run-migrations.ts';
import { openStore } from './open-store.ts';
import { openSqliteDatabase } from './sqlite/open-sqlite-database.ts';
import { registerStoreContract } from './store-contract.ts';

const directory = mkdtempSync(join(tmpdir(), 'shepherd-sqlite-'));
after(() => rmSync(directory, { recursive: true, force: true }));
let fileCount = 0;

registerStoreContract('sqlite in-memory', {
  open: ({ now, migrate }) =>
    openStore({ url: 'sqlite::memory:', now, ...(migrate === undefined ? {} : { migrate }) }),
});

registerStoreContract('sqlite file', {
  open: ({ now, migrate }) => {
    fileCount += 1;
    const url = `sqlite:${join(directory, `contract-${fileCount}.db`)}`;
    return openStore({ url, now, ...(migrate === undefined ? {} : { migrate }) });
  },
});

test('a file database gets its directory, WAL and the pragmas', async () => {
  const db = openSqliteDatabase(join(directory, 'nested', 'deeper', 'pragmas.db'));
  try {
    const read = async (pragma: string) =>
      (await sql<Record<string, unknown>>`${sql.raw(`pragma ${pragma}`)}`.execute(db)).rows[0];
    assert.deepEqual(await read('journal_mode'), { journal_mode: 'wal' });
    assert.deepEqual(await read('synchronous'), { synchronous: 1n });
    assert.deepEqual(await read('busy_timeout'), { timeout: 5000n });
    assert.deepEqual(await read('foreign_keys'), { foreign_keys: 1n });
  } finally {
    await db.destroy();
  }
});

async function countAppliedMigrations(filename: string): Promise<bigint | undefined> {
  const db = openSqliteDatabase(filename);
  try {
    const result = await sql<{
      count: bigint;
    }>`select count(*) as count from kysely_migration`.execute(db);
    return result.rows[0]?.count;
  } finally {
    await db.destroy();
  }
}

test('migrations run once: a second run and a reopen apply nothing', async () => {
  const filename = join(directory, 'reopen.db');
  const db = openSqliteDatabase(filename);
  try {
    await runMigrations({ db, engine: 'sqlite' });
    await runMigrations({ db, engine: 'sqlite' });
  } finally {
    await db.destroy();
  }
  assert.equal(await countAppliedMigrations(filename), 1n);
  const first = await openStore({ url: filename });
  const account = await first.createAccount({ name: 'persisted' });
  await first.close();
  const reopened = await openStore({ url: `sqlite:${filename}` });
  try {
    assert.deepEqual(await reopened.getAccountByName('persisted'), account);
  } finally {
    await reopened.close();
  }
  assert.equal(await countAppliedMigrations(filename), 1n);
});

test('integers read back as bigint, beyond 2^53 exactly', async () => {
  const db = openSqliteDatabase(':memory:');
  try {
    const result = await sql<{ value: unknown }>`select 9007199254740993 as value`.execute(db);
    assert.equal(result.rows[0]?.value, 9007199254740993n);
  } finally {
    await db.destroy();
  }
});
