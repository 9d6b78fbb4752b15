import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openStore } from '../../src/storage/open-store.ts';
import { cliEnvironment, runShepherdResult } from '../helpers/run-shepherd-cli.ts';

const directory = mkdtempSync(join(tmpdir(), 'shepherd-concurrent-migrations-'));
after(() => rmSync(directory, { recursive: true, force: true }));

test('processes opening one new SQLite file at once all migrate it (a gateway and a CLI command starting together)', async () => {
  const url = `sqlite:${join(directory, 'opened-together.db')}`;
  const runs = await Promise.all(
    [1, 2, 3].map(() => runShepherdResult(['migrate', '--database', url], cliEnvironment())),
  );
  assert.deepEqual(
    runs.map((run) => run.stderr),
    ['', '', ''],
  );
  assert.deepEqual(
    runs.map((run) => run.code),
    [0, 0, 0],
  );
  const store = await openStore({ url });
  assert.deepEqual(await store.checkLedger(new Date()), []);
  await store.close();
});
