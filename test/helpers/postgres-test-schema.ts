import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import { sql } from 'kysely';
import {
  assertSchemaName,
  openPostgresDatabase,
} from '../../src/storage/postgres/open-postgres-database.ts';

/** The PostgreSQL server tests use (as in src/storage/postgres-store.test.ts). */
export const POSTGRES_TEST_URL =
  process.env.SHEPHERD_TEST_POSTGRES_URL ?? 'postgres://root@127.0.0.1:5432/test';

/** Connects once with a short timeout; returns why PostgreSQL is unusable, or undefined. */
export async function probePostgres(): Promise<string | undefined> {
  const db = openPostgresDatabase({
    connectionString: POSTGRES_TEST_URL,
    connectionTimeoutMs: 2_000,
  });
  try {
    await sql`select 1`.execute(db);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await db.destroy();
  }
}

/**
 * Without PostgreSQL, registers one test that is skipped, or that fails when
 * SHEPHERD_REQUIRE_SERVICES=1 (CI must not pass by skipping). Returns whether PostgreSQL is usable.
 */
export async function requirePostgres(title: string): Promise<boolean> {
  const unreachable = await probePostgres();
  if (unreachable === undefined) return true;
  const target = POSTGRES_TEST_URL.replace(/\/\/[^@/]*@/, '//');
  const message = `PostgreSQL unreachable at ${target} (${unreachable}); set SHEPHERD_TEST_POSTGRES_URL`;
  if (process.env.SHEPHERD_REQUIRE_SERVICES === '1') {
    test(`${title}: PostgreSQL is reachable (SHEPHERD_REQUIRE_SERVICES=1)`, () =>
      assert.fail(message));
  } else {
    test(title, { skip: message }, () => {});
  }
  return false;
}

const created: string[] = [];
let cleanupRegistered = false;

/**
 * A new, empty schema name, dropped (with everything in it) when the test file ends. `create`
 * makes it now, for a process that connects with the schema in its URL (see postgresUrlInSchema).
 */
export async function freshSchema(
  tag: string,
  options: { create?: boolean } = {},
): Promise<string> {
  const schema = `shepherd_${tag}_${process.pid}_${randomBytes(3).toString('hex')}`;
  assertSchemaName(schema);
  created.push(schema);
  if (!cleanupRegistered) {
    cleanupRegistered = true;
    after(dropCreatedSchemas);
  }
  if (options.create === true) {
    const db = openPostgresDatabase({ connectionString: POSTGRES_TEST_URL });
    try {
      await sql`create schema ${sql.id(schema)}`.execute(db);
    } finally {
      await db.destroy();
    }
  }
  return schema;
}

async function dropCreatedSchemas(): Promise<void> {
  const db = openPostgresDatabase({ connectionString: POSTGRES_TEST_URL });
  try {
    for (const schema of created) {
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db);
    }
  } finally {
    await db.destroy();
  }
}

/**
 * The test server's URL with `options=-c search_path=<schema>`, for a process (the CLI) that takes
 * only a URL: node-postgres passes the option at connect time, so tables and migrations land in that
 * schema. The schema must already exist.
 */
export function postgresUrlInSchema(schema: string): string {
  assertSchemaName(schema);
  const separator = POSTGRES_TEST_URL.includes('?') ? '&' : '?';
  return `${POSTGRES_TEST_URL}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
}
