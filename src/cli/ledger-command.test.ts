import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { runShepherdResult } from '../../test/helpers/run-shepherd-cli.ts';
import { seedUsageDatabase } from './test-support/seed-usage-database.ts';

const shepherd = (args: string[]) => runShepherdResult(args);

test('ledger check: OK on a sound ledger; each planted breach is named and exits 1', async () => {
  const seeded = await seedUsageDatabase();
  const sound = await shepherd(['ledger', 'check', '--database', seeded.url]);
  assert.equal(sound.code, 0, sound.stderr);
  assert.match(
    sound.stdout,
    /^Ledger OK: I1–I10 hold \(0 open holds, checked at \d{4}-\d\d-\d\dT[\d:.]+Z\)\.\n$/,
  );

  const database = new Database(seeded.file);
  try {
    database
      .prepare('update ledger_balances set posted_micros = posted_micros + 5 where account_id = ?')
      .run(seeded.accountIds.teamB);
    database.prepare("update usage_records set cost_micros = 1 where request_id = 'req_a1'").run();
  } finally {
    database.close();
  }
  const broken = await shepherd(['ledger', 'check', '--database', seeded.url]);
  assert.equal(broken.code, 1);
  assert.match(
    broken.stdout,
    new RegExp(
      `^I2  account ${seeded.accountIds.teamB} caches posted 98000005, entries sum to 98000000$`,
      'm',
    ),
  );
  assert.match(broken.stdout, /^I10 {2}request req_a1 costs 1 but was charged 1500000$/m);
  assert.match(broken.stderr, /^Ledger check failed: \d+ breaches of I1–I10\.$/m);
  assert.doesNotMatch(broken.stdout, /Ledger OK/);
});
