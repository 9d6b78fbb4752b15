import assert from 'node:assert/strict';
import { test } from 'node:test';
import type BetterSqlite3 from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../database-schema.ts';
import { commit, rollback } from '../transaction-runner.ts';
import { createSqliteWriteQueue } from './create-sqlite-write-queue.ts';
import { openSqliteConnection, openSqliteDatabase } from './open-sqlite-database.ts';

const UNGUARDED = { refusesWithoutChanges: true };

async function withQueue(
  run: (
    queue: ReturnType<typeof createSqliteWriteQueue>,
    connection: BetterSqlite3.Database,
    db: Kysely<Database>,
  ) => Promise<void>,
): Promise<void> {
  const connection = openSqliteConnection(':memory:');
  const db: Kysely<Database> = openSqliteDatabase(connection);
  connection.exec('create table notes (id integer primary key, text text not null unique)');
  try {
    await run(createSqliteWriteQueue(db, connection), connection, db);
  } finally {
    await db.destroy();
  }
}

function insertNote(connection: BetterSqlite3.Database, text: string): void {
  connection.prepare('insert into notes (text) values (?)').run(text);
}

function notes(connection: BetterSqlite3.Database): unknown[] {
  return connection.prepare('select text from notes order by id').pluck().all();
}

test('writes of one turn share a transaction; each keeps or refuses its own changes', async () => {
  await withQueue(async (queue, connection) => {
    const results = await Promise.all([
      queue.write(() => {
        insertNote(connection, 'kept');
        return commit('a');
      }),
      queue.write(() => {
        insertNote(connection, 'refused');
        return rollback('b');
      }),
      queue.write(() => commit('c'), UNGUARDED),
    ]);
    assert.deepEqual(results, ['a', 'b', 'c']);
    assert.deepEqual(notes(connection), ['kept']);
  });
});

test('an unguarded write throws midway: the batch reruns, its changes alone undone', async () => {
  await withQueue(async (queue, connection) => {
    let runs = 0;
    const failure = new Error('halfway');
    const settled = await Promise.allSettled([
      queue.write(() => {
        insertNote(connection, 'before');
        return commit('before');
      }, UNGUARDED),
      queue.write(() => {
        runs += 1;
        insertNote(connection, `half of write, run ${runs}`);
        throw failure;
      }, UNGUARDED),
      queue.write(() => {
        insertNote(connection, 'guarded');
        return commit('guarded');
      }),
      queue.write(() => {
        insertNote(connection, 'after');
        return commit('after');
      }, UNGUARDED),
    ]);
    assert.deepEqual(
      settled.map((result) => (result.status === 'fulfilled' ? result.value : result.reason)),
      ['before', failure, 'guarded', 'after'],
    );
    // Once unguarded (rolled back with the whole batch), once in a savepoint of the replay.
    assert.equal(runs, 2);
    assert.deepEqual(notes(connection), ['before', 'guarded', 'after']);
    assert.equal(connection.inTransaction, false);
  });
});

test('a constraint error in an unguarded write fails that write only', async () => {
  await withQueue(async (queue, connection) => {
    insertNote(connection, 'taken');
    const settled = await Promise.allSettled([
      queue.write(() => {
        insertNote(connection, 'first');
        insertNote(connection, 'taken');
        return commit('never');
      }, UNGUARDED),
      queue.write(() => {
        insertNote(connection, 'second');
        return commit('second');
      }, UNGUARDED),
    ]);
    assert.equal(settled[0]?.status, 'rejected');
    assert.deepEqual(settled[1], { status: 'fulfilled', value: 'second' });
    assert.deepEqual(notes(connection), ['taken', 'second']);
  });
});

test('a write made while a transaction spans awaits on the connection waits for its end', async () => {
  await withQueue(async (queue, connection, db) => {
    let answered = false;
    let queued: Promise<string> | undefined;
    await db.connection().execute(async (leased) => {
      await sql`begin immediate`.execute(leased);
      insertNote(connection, 'rolled back');
      queued = queue.write(() => {
        insertNote(connection, 'queued');
        return commit('queued');
      });
      void queued.then(() => {
        answered = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(answered, false, 'the write ran inside the open transaction');
      await sql`rollback`.execute(leased);
    });
    assert.equal(await queued, 'queued');
    assert.deepEqual(notes(connection), ['queued']);
  });
});
