import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Migrator, sql } from 'kysely';
import { registerLedgerContract } from './ledger-contract.ts';
import { SYSTEM_ACCOUNTS } from './ledger-store.ts';
import { createMigration0001 } from './migrations/migration-0001-accounts-and-api-keys.ts';
import { runMigrations } from './migrations/run-migrations.ts';
import { openStore } from './open-store.ts';
import { openSqliteDatabase } from './sqlite/open-sqlite-database.ts';
import { runReserveRace } from './sqlite/run-reserve-race.ts';
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

registerLedgerContract('sqlite file', {
  async createDatabase() {
    fileCount += 1;
    const filename = join(directory, `ledger-${fileCount}.db`);
    await (await openStore({ url: filename })).close();
    return {
      open: ({ now }) => openStore({ url: `sqlite:${filename}`, now, migrate: false }),
      async withDb(run) {
        const db = openSqliteDatabase(filename);
        try {
          return await run(db);
        } finally {
          await db.destroy();
        }
      },
    };
  },
});

test('two threads race 200 reserves on one file: exactly the 10 the balance covers', async () => {
  const filename = join(directory, 'threads.db');
  const store = await openStore({ url: filename });
  try {
    const account = await store.createAccount({ name: 'threads' });
    await store.postCredit({
      kind: 'top_up',
      accountId: account.id,
      amountMicros: 10_000n,
      idempotencyKey: 'threads-funding',
    });
    const statuses = await runReserveRace({
      filename,
      accountId: account.id,
      amountMicros: 1_000n,
      expiresAt: new Date(Date.now() + 60_000),
      requestIdsPerWorker: [0, 1].map((worker) =>
        Array.from({ length: 100 }, (_, index) => `thread-${worker}-${index}`),
      ),
    });
    assert.equal(statuses.length, 200);
    assert.equal(statuses.filter((status) => status === 'reserved').length, 10);
    assert.deepEqual(await store.getBalance(account.id), {
      postedMicros: 10_000n,
      heldMicros: 10_000n,
      availableMicros: 0n,
    });
    assert.equal(await store.countOpenHolds(), 10);
    assert.deepEqual(await store.checkLedger(new Date()), []);
  } finally {
    await store.close();
  }
});

test('migration 0002 seeds the system accounts and gives existing accounts a balance', async () => {
  const db = openSqliteDatabase(join(directory, 'upgrade.db'));
  try {
    const migrator = new Migrator({
      db,
      provider: {
        getMigrations: async () => ({
          '0001_accounts_and_api_keys': createMigration0001('sqlite'),
        }),
      },
    });
    const first = await migrator.migrateToLatest();
    assert.equal(first.error, undefined);
    await db
      .insertInto('accounts')
      .values({
        id: 'acct_old',
        name: 'old',
        created_at: '2029-01-01T00:00:00.000Z',
        disabled_at: null,
      })
      .execute();
    await runMigrations({ db, engine: 'sqlite' });
    const rows = await db.selectFrom('ledger_balances').selectAll().orderBy('account_id').execute();
    assert.deepEqual(
      rows,
      ['acct_old', ...Object.values(SYSTEM_ACCOUNTS)].sort().map((accountId) => ({
        account_id: accountId,
        posted_micros: 0n,
        held_micros: 0n,
      })),
    );
  } finally {
    await db.destroy();
  }
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
  assert.equal(await countAppliedMigrations(filename), 5n);
  const first = await openStore({ url: filename });
  const account = await first.createAccount({ name: 'persisted' });
  await first.close();
  const reopened = await openStore({ url: `sqlite:${filename}` });
  try {
    assert.deepEqual(await reopened.getAccountByName('persisted'), account);
  } finally {
    await reopened.close();
  }
  assert.equal(await countAppliedMigrations(filename), 5n);
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
