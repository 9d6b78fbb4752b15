import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Migrator, sql } from 'kysely';
import { fundedAccount, START, unique, usageRecord } from '../ledger-test-kit.ts';
import { openStore } from '../open-store.ts';
import { openSqliteDatabase } from '../sqlite/open-sqlite-database.ts';
import type { Store } from '../store.ts';
import { createMigration0001 } from './migration-0001-accounts-and-api-keys.ts';
import { createMigration0002 } from './migration-0002-credit-ledger.ts';
import { runMigrations } from './run-migrations.ts';

const directory = mkdtempSync(join(tmpdir(), 'shepherd-migration-0003-'));
after(() => rmSync(directory, { recursive: true, force: true }));

const REBUILT_TABLES = ['ledger_balances', 'ledger_holds', 'ledger_transactions', 'usage_records'];
const IN_ONE_HOUR = new Date(START.getTime() + 3_600_000);

/** Every row of the ledger's tables, in a stable order: what the rebuild must carry over. */
async function snapshot(filename: string): Promise<Record<string, unknown[]>> {
  const db = openSqliteDatabase(filename);
  try {
    const tables: Record<string, unknown[]> = {};
    for (const [table, order] of [
      ['ledger_balances', 'account_id'],
      ['ledger_transactions', 'id'],
      ['ledger_entries', 'id'],
      ['ledger_holds', 'request_id'],
      ['usage_records', 'request_id'],
    ] as const) {
      tables[table] = (
        await sql`${sql.raw(`select * from ${table} order by ${order}`)}`.execute(db)
      ).rows;
    }
    return tables;
  } finally {
    await db.destroy();
  }
}

async function withStore(filename: string, run: (store: Store) => Promise<void>): Promise<void> {
  const store = await openStore({ url: `sqlite:${filename}`, migrate: false });
  try {
    await run(store);
  } finally {
    await store.close();
  }
}

test('migration 0003 rebuilds a used ledger: every row, constraint and trigger kept', async () => {
  const filename = join(directory, 'upgrade.db');
  const db = openSqliteDatabase(filename);
  const migrator = new Migrator({
    db,
    provider: {
      getMigrations: async () => ({
        '0001_accounts_and_api_keys': createMigration0001('sqlite'),
        '0002_credit_ledger': createMigration0002('sqlite'),
      }),
    },
  });
  assert.equal((await migrator.migrateToLatest()).error, undefined);
  await db.destroy();

  let accountId = '';
  const openRequest = unique('req');
  await withStore(filename, async (store) => {
    accountId = await fundedAccount(store, 10_000n);
    const settled = unique('req');
    const reserve = (requestId: string, amountMicros: bigint) =>
      store.reserveCredit({
        requestId,
        accountId,
        keyId: 'key_a',
        amountMicros,
        expiresAt: IN_ONE_HOUR,
      });
    assert.equal((await reserve(openRequest, 300n)).status, 'reserved');
    assert.equal((await reserve(settled, 500n)).status, 'reserved');
    await store.settleUsage({
      usage: usageRecord({ requestId: settled, accountId, costMicros: 420n }),
    });
    await store.settleUsage({
      usage: usageRecord({ requestId: unique('req'), accountId, costMicros: 0n }),
    });
  });
  const before = await snapshot(filename);

  const upgrading = openSqliteDatabase(filename);
  try {
    await runMigrations({ db: upgrading, engine: 'sqlite' });
    const schema = await sql<{ name: string; sql: string }>`
      select name, sql from sqlite_master
        where type = 'table' and (name like 'ledger_%' or name = 'usage_records')`.execute(
      upgrading,
    );
    for (const table of REBUILT_TABLES) {
      const row = schema.rows.find((entry) => entry.name === table);
      assert.match(row?.sql ?? '', /without rowid$/i, table);
    }
    const indexes = await sql<{ name: string }>`
      select name from sqlite_master where type = 'index' and tbl_name = 'ledger_holds'
        and sql is not null order by name`.execute(upgrading);
    assert.deepEqual(
      indexes.rows.map((row) => row.name),
      ['ledger_holds_open_key_id'],
    );
    assert.deepEqual((await sql`pragma foreign_key_check`.execute(upgrading)).rows, []);
    assert.deepEqual((await sql`pragma integrity_check`.execute(upgrading)).rows, [
      { integrity_check: 'ok' },
    ]);
    assert.deepEqual((await sql`pragma foreign_keys`.execute(upgrading)).rows, [
      { foreign_keys: 1n },
    ]);
    await assert.rejects(
      sql`update ledger_transactions set reason = 'edited'`.execute(upgrading),
      /append-only/,
    );
    await assert.rejects(
      sql`insert into ledger_holds (request_id, account_id, key_id, amount_micros, state,
        created_at, expires_at) values ('req_orphan', 'acct_missing', 'key_a', 1, 'open',
        '2030-01-01T00:00:00.000Z', '2030-01-01T01:00:00.000Z')`.execute(upgrading),
      /FOREIGN KEY/,
    );
  } finally {
    await upgrading.destroy();
  }
  assert.deepEqual(await snapshot(filename), before);

  await withStore(filename, async (store) => {
    assert.deepEqual(await store.checkLedger(START), []);
    assert.equal(await store.countOpenHolds(), 1);
    const settle = await store.settleUsage({
      usage: usageRecord({ requestId: openRequest, accountId, costMicros: 100n }),
    });
    assert.deepEqual(settle.balance, {
      postedMicros: 9_480n,
      heldMicros: 0n,
      availableMicros: 9_480n,
    });
    assert.deepEqual(
      await store.reserveCredit({
        requestId: openRequest,
        accountId,
        keyId: 'key_a',
        amountMicros: 1n,
        expiresAt: IN_ONE_HOUR,
      }),
      { status: 'duplicate_request' },
    );
    assert.deepEqual(await store.checkLedger(START), []);
  });
});
