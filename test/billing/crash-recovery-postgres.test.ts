import assert from 'node:assert/strict';
import { openStore } from '../../src/storage/open-store.ts';
import { CRASH_KEY_PEPPER, CRASH_SEEDS, registerCrashTests } from '../helpers/crash-burst.ts';
import {
  freshSchema,
  POSTGRES_TEST_URL,
  postgresUrlInSchema,
  requirePostgres,
} from '../helpers/postgres-test-schema.ts';

// Test plan D4 on PostgreSQL; the procedure and what it checks: test/helpers/crash-burst.ts.

if (await requirePostgres('D4 on PostgreSQL')) {
  // Created now (not inside a test) so the file's `after` hook drops them.
  const schemas = new Map<number, string>();
  for (const seed of CRASH_SEEDS) {
    schemas.set(seed, await freshSchema(`crash${seed}`, { create: true }));
  }
  registerCrashTests('PostgreSQL', async (seed) => {
    const schema = schemas.get(seed);
    assert.ok(schema);
    return {
      // `shepherd start` takes only a URL: the schema travels in its `options` parameter.
      url: postgresUrlInSchema(schema),
      env: { SHEPHERD_KEY_PEPPER: CRASH_KEY_PEPPER },
      open: () => openStore({ url: POSTGRES_TEST_URL, schema }),
    };
  });
}
