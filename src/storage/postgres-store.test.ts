import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import { sql } from 'kysely';
import { registerLedgerContract } from './ledger-contract.ts';
import { openStore } from './open-store.ts';
import { openPostgresDatabase } from './postgres/open-postgres-database.ts';
import { parseInt8 } from './postgres/parse-int8.ts';
import { registerStoreContract } from './store-contract.ts';

const url = process.env.SHEPHERD_TEST_POSTGRES_URL ?? 'postgres://root@127.0.0.1:5432/test';
const servicesRequired = process.env.SHEPHERD_REQUIRE_SERVICES === '1';
const schema = `shepherd_test_${process.pid}_${randomBytes(4).toString('hex')}`;

/** Connects once with a short timeout; returns why PostgreSQL is unusable, or undefined. */
async function probe(): Promise<string | undefined> {
  const db = openPostgresDatabase({ connectionString: url, connectionTimeoutMs: 2_000 });
  try {
    await sql`select 1`.execute(db);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await db.destroy();
  }
}

const unreachable = await probe();
const target = url.replace(/\/\/[^@/]*@/, '//');

if (unreachable !== undefined) {
  const message = `PostgreSQL unreachable at ${target} (${unreachable}); set SHEPHERD_TEST_POSTGRES_URL`;
  if (servicesRequired) {
    test('PostgreSQL is reachable (SHEPHERD_REQUIRE_SERVICES=1)', () => assert.fail(message));
  } else {
    test('postgres store contract', { skip: message }, () => {});
  }
} else {
  const ledgerSchemas: string[] = [];
  after(async () => {
    const db = openPostgresDatabase({ connectionString: url });
    try {
      for (const each of [schema, ...ledgerSchemas]) {
        await sql`drop schema if exists ${sql.id(each)} cascade`.execute(db);
      }
    } finally {
      await db.destroy();
    }
  });

  registerStoreContract('postgres', {
    open: ({ now, migrate }) =>
      openStore({
        url,
        schema,
        now,
        pool: { maxConnections: 4 },
        ...(migrate === undefined ? {} : { migrate }),
      }),
  });

  registerLedgerContract('postgres', {
    async createDatabase() {
      const ledgerSchema = `${schema}_l${ledgerSchemas.length}`;
      ledgerSchemas.push(ledgerSchema);
      await (await openStore({ url, schema: ledgerSchema })).close();
      return {
        open: ({ now, maxConnections }) =>
          openStore({
            url,
            schema: ledgerSchema,
            now,
            migrate: false,
            pool: { maxConnections: maxConnections ?? 4 },
          }),
        async withDb(run) {
          const db = openPostgresDatabase({ connectionString: url, schema: ledgerSchema });
          try {
            return await run(db);
          } finally {
            await db.destroy();
          }
        },
      };
    },
  });

  test('bigint round-trips exactly through parseInt8', async () => {
    const db = openPostgresDatabase({ connectionString: url, schema });
    try {
      const result = await sql<{ value: unknown; count: unknown }>`
        select 9007199254740993::bigint as value, count(*) as count from (values (1), (2)) as t(n)
      `.execute(db);
      assert.deepEqual(result.rows[0], { value: 9007199254740993n, count: 2n });
      assert.equal(parseInt8('-9223372036854775808'), -9223372036854775808n);
    } finally {
      await db.destroy();
    }
  });

  test('the schema option isolates tables and migrations apply once', async () => {
    const store = await openStore({ url, schema });
    await store.migrate();
    await store.close();
    const db = openPostgresDatabase({ connectionString: url, schema });
    try {
      const tables = await sql<{ table_name: string }>`
        select table_name from information_schema.tables where table_schema = ${schema}
        order by table_name
      `.execute(db);
      assert.deepEqual(
        tables.rows.map((row) => row.table_name),
        [
          'accounts',
          'api_keys',
          'console_sessions',
          'console_users',
          'kysely_migration',
          'kysely_migration_lock',
          'ledger_balances',
          'ledger_entries',
          'ledger_holds',
          'ledger_transactions',
          'usage_records',
          'voucher_batches',
          'vouchers',
        ],
      );
      const applied = await sql<{ count: bigint }>`
        select count(*) as count from ${sql.id(schema, 'kysely_migration')}
      `.execute(db);
      assert.equal(applied.rows[0]?.count, 5n);
    } finally {
      await db.destroy();
    }
  });

  test('usage transactions are found by their key: no index by request id (migration 0005)', async () => {
    const store = await openStore({ url, schema });
    await store.close();
    const db = openPostgresDatabase({ connectionString: url, schema });
    try {
      const indexes = await sql<{ indexname: string }>`
        select indexname from pg_indexes
        where schemaname = ${schema} and tablename = 'ledger_transactions' order by indexname
      `.execute(db);
      assert.deepEqual(
        indexes.rows.map((row) => row.indexname),
        [
          'ledger_transactions_idem_key_key',
          'ledger_transactions_kind_created_at',
          'ledger_transactions_pkey',
        ],
      );
    } finally {
      await db.destroy();
    }
  });

  test('schema names are checked before they reach the connection', async () => {
    await assert.rejects(openStore({ url, schema: 'x; drop table accounts' }), /schema name/);
  });
}
