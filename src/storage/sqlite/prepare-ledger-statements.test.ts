import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runMigrations } from '../migrations/run-migrations.ts';
import { openSqliteConnection, openSqliteDatabase } from './open-sqlite-database.ts';
import { prepareLedgerStatements } from './prepare-ledger-statements.ts';

test('no statement of reserve or settle fills a temporary b-tree', async () => {
  const connection = openSqliteConnection(':memory:');
  const db = openSqliteDatabase(connection);
  try {
    await runMigrations({ db, engine: 'sqlite' });
    // RETURNING and a CHECK's IN list of more than two values each make SQLite build one, on
    // every run: a b-tree opened, filled and closed for a single row or a handful of constants.
    const building: string[] = [];
    for (const [name, statement] of Object.entries(prepareLedgerStatements(connection))) {
      const parameters = (statement.source.match(/\?/g) ?? []).map(() => null);
      const program = connection
        .prepare<unknown[], { opcode: string }>(`explain ${statement.source}`)
        .all(...parameters);
      if (program.some((step) => step.opcode === 'OpenEphemeral')) building.push(name);
    }
    assert.deepEqual(building, []);
  } finally {
    await db.destroy();
  }
});
