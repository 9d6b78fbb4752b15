import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { type Kysely, Migrator, sql } from 'kysely';
import type { Database } from '../database-schema.ts';
import { fundedAccount, START, unique, usageRecord } from '../ledger-test-kit.ts';
import { openStore } from '../open-store.ts';
import { openSqliteDatabase } from '../sqlite/open-sqlite-database.ts';
import type { Store } from '../store.ts';
import { createMigration0001 } from './migration-0001-accounts-and-api-keys.ts';
import { createMigration0002 } from './migration-0002-credit-ledger.ts';
import { createMigration0003 } from './migration-0003-lean-ledger-writes.ts';
import { createMigration0004 } from './migration-0004-console-users.ts';
import { runMigrations } from './run-migrations.ts';

const directory = mkdtempSync(join(tmpdir(), 'shepherd-migration-0005-'));
after(() => rmSync(directory, { recursive: true, force: true }));

const IN_ONE_HOUR = new Date(START.getTime() + 3_600_000);

/** Every row of the two rebuilt tables and of the entries that reference one of them. */
async function snapshot(db: Kysely<Database>): Promise<Record<string, unknown[]>> {
  const tables: Record<string, unknown[]> = {};
  for (const [table, order] of [
    ['ledger_transactions', 'id'],
    ['ledger_entries', 'id'],
    ['ledger_holds', 'request_id'],
  ] as const) {
    tables[table] = (
      await sql`${sql.raw(`select * from ${table} order by ${order}`)}`.execute(db)
    ).rows;
  }
  return tables;
}

async function withStore(filename: string, run: (store: Store) => Promise<void>): Promise<void> {
  const store = await openStore({ url: `sqlite:${filename}`, migrate: false });
  try {
    await run(store);
  } finally {
    await store.close();
  }
}

async function schemaOf(db: Kysely<Database>, table: string) {
  const rows = await sql<{ type: string; name: string; sql: string | null }>`
    select type, name, sql from sqlite_master where tbl_name = ${table} order by name`.execute(db);
  return rows.rows;
}

test('migration 0005 rebuilds holds and transactions: rows, rules and triggers kept', async () => {
  const filename = join(directory, 'upgrade.db');
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

  let accountId = '';
  const openRequest = unique('req');
  const settledRequest = unique('req');
  await withStore(filename, async (store) => {
    accountId = await fundedAccount(store, 10_000n);
    const reserve = (requestId: string, amountMicros: bigint) =>
      store.reserveCredit({
        requestId,
        accountId,
        keyId: 'key_a',
        amountMicros,
        expiresAt: IN_ONE_HOUR,
      });
    assert.equal((await reserve(openRequest, 300n)).status, 'reserved');
    assert.equal((await reserve(settledRequest, 500n)).status, 'reserved');
    await store.settleUsage({
      usage: usageRecord({ requestId: settledRequest, accountId, costMicros: 420n }),
    });
  });

  const upgrading = openSqliteDatabase(filename);
  try {
    const before = await snapshot(upgrading);
    await runMigrations({ db: upgrading, engine: 'sqlite' });
    assert.deepEqual(await snapshot(upgrading), before);

    const holds = await schemaOf(upgrading, 'ledger_holds');
    const transactions = await schemaOf(upgrading, 'ledger_transactions');
    for (const table of [holds, transactions]) {
      const definition = table.find((entry) => entry.type === 'table')?.sql ?? '';
      assert.match(definition, /without rowid$/i);
      assert.doesNotMatch(definition, /\bin \(/i);
    }
    assert.deepEqual(
      holds.filter((entry) => entry.type === 'index' && entry.sql !== null).map((e) => e.name),
      ['ledger_holds_open_key_id'],
    );
    assert.deepEqual(
      transactions
        .filter((entry) => entry.sql !== null && entry.type !== 'table')
        .map((e) => e.name),
      [
        'ledger_transactions_kind_created_at',
        'ledger_transactions_no_delete',
        'ledger_transactions_no_update',
      ],
    );

    await assert.rejects(
      sql`update ledger_holds set state = 'lost' where request_id = ${openRequest}`.execute(
        upgrading,
      ),
      /CHECK constraint failed: ledger_holds_state/,
    );
    await assert.rejects(
      sql`insert into ledger_transactions (id, kind, account_id, idem_key, payload_hash,
        created_at) values ('txn_odd', 'gift', ${accountId}, 'odd', 'odd', ${START.toISOString()})`.execute(
        upgrading,
      ),
      /CHECK constraint failed: ledger_transactions_kind/,
    );
    await assert.rejects(sql`delete from ledger_transactions`.execute(upgrading), /append-only/);
    await assert.rejects(
      sql`insert into ledger_holds (request_id, account_id, key_id, amount_micros, state,
        created_at, expires_at) values ('req_orphan', 'acct_missing', 'key_a', 1, 'open',
        '2030-01-01T00:00:00.000Z', '2030-01-01T01:00:00.000Z')`.execute(upgrading),
      /FOREIGN KEY/,
    );
    assert.deepEqual((await sql`pragma foreign_key_check`.execute(upgrading)).rows, []);
    assert.deepEqual((await sql`pragma integrity_check`.execute(upgrading)).rows, [
      { integrity_check: 'ok' },
    ]);
    assert.deepEqual((await sql`pragma foreign_keys`.execute(upgrading)).rows, [
      { foreign_keys: 1n },
    ]);
  } finally {
    await upgrading.destroy();
  }

  await withStore(filename, async (store) => {
    assert.deepEqual(await store.checkLedger(START), []);
    assert.equal(await store.countOpenHolds(), 1);
    const settled = await store.settleUsage({
      usage: usageRecord({ requestId: openRequest, accountId, costMicros: 100n }),
    });
    assert.deepEqual(settled.balance, {
      postedMicros: 9_480n,
      heldMicros: 0n,
      availableMicros: 9_480n,
    });
    const again = await store.settleUsage({
      usage: usageRecord({ requestId: settledRequest, accountId, costMicros: 420n }),
    });
    assert.equal(again.status, 'already_settled');
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
