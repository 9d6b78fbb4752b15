import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import * as z from 'zod';
import { runShepherdResult } from '../../test/helpers/run-shepherd-cli.ts';
import { safeParseJson } from '../util/safe-parse-json.ts';
import { seedUsageDatabase } from './test-support/seed-usage-database.ts';

const shepherd = (args: string[]) => runShepherdResult(args);

const reportSchema = z.object({
  accountId: z.string().nullable(),
  currency: z.string(),
  models: z.array(z.object({ model: z.string(), requests: z.number(), cost: z.string() })),
  days: z.array(z.object({ date: z.string() })),
  total: z.object({ requests: z.number(), cost: z.string(), costMicros: z.string() }),
  ledgerTotalMicros: z.string(),
  matchesLedger: z.boolean(),
});

function parseReport(text: string) {
  const parsed = safeParseJson(text);
  assert.ok(parsed.ok, text);
  return reportSchema.parse(parsed.value);
}

test('report: every account, one account by name, as JSON, CSV and a table', async () => {
  const seeded = await seedUsageDatabase();
  const everyone = await shepherd([
    'report',
    '--month',
    '2026-11',
    '--database',
    seeded.url,
    '--format',
    'json',
  ]);
  assert.equal(everyone.code, 0, everyone.stderr);
  const all = parseReport(everyone.stdout);
  assert.equal(all.accountId, null);
  assert.equal(all.currency, 'KRW');
  assert.equal(all.days.length, 30);
  assert.deepEqual(
    all.models.map((model) => [model.model, model.requests, model.cost]),
    [
      ['gpt-4.1', 2, '3.5'],
      ['claude-sonnet-4', 1, '0.25'],
    ],
  );
  assert.equal(all.total.costMicros, '3750000');
  assert.equal(all.ledgerTotalMicros, '3750000');
  assert.equal(all.matchesLedger, true);

  const teamA = await shepherd([
    'report',
    '--month',
    '2026-11',
    '--account',
    'team-a',
    '--database',
    seeded.url,
    '--format',
    'csv',
  ]);
  assert.equal(teamA.code, 0, teamA.stderr);
  const lines = teamA.stdout.split('\r\n');
  assert.match(lines[0] ?? '', /^section,key,currency,requests,/);
  assert.ok(lines.includes('ledger,match,KRW,,,,,,,,,,,1.75,1750000,,,,'), teamA.stdout);
  assert.ok(
    lines.some((line) => line.startsWith('total,2026-11,KRW,2,2,0,0,0,200,0,0,40,0,1.75,1750000,')),
  );

  const table = await shepherd([
    'report',
    '--month',
    '2026-12',
    '--account',
    'team-a',
    '--database',
    seeded.url,
  ]);
  assert.equal(table.code, 0, table.stderr);
  assert.match(
    table.stdout,
    new RegExp(
      `^Usage 2026-12 \\(2026-12-01 to 2026-12-31, UTC\\), account ${seeded.accountIds.teamA}, KRW$`,
      'm',
    ),
  );
  assert.match(table.stdout, /^gpt-4\.1\s+1\s.*₩9\s+100\.00%/m);
  assert.match(table.stdout, /^Ledger usage charges: ₩9, equal to the report total\.$/m);
});

test('report: an unknown account, a bad month or format exit 1 with a clear message', async () => {
  const seeded = await seedUsageDatabase();
  const unknown = await shepherd([
    'report',
    '--month',
    '2026-11',
    '--account',
    'nobody',
    '--database',
    seeded.url,
  ]);
  assert.equal(unknown.code, 1);
  assert.equal(unknown.stdout, '');
  assert.match(unknown.stderr, /no account named "nobody"/);

  const badMonth = await shepherd(['report', '--month', '2026-13', '--database', seeded.url]);
  assert.equal(badMonth.code, 1);
  assert.match(
    badMonth.stderr,
    /month must be a calendar month written YYYY-MM \(for example 2026-11\), not "2026-13"/,
  );

  const badFormat = await shepherd(['report', '--format', 'xml', '--database', seeded.url]);
  assert.equal(badFormat.code, 1);
  assert.match(badFormat.stderr, /xml/);
});

test('report: records that disagree with the ledger are flagged and exit 1', async () => {
  const seeded = await seedUsageDatabase();
  const database = new Database(seeded.file);
  try {
    database
      .prepare("update usage_records set cost_micros = cost_micros + 1 where request_id = 'req_b1'")
      .run();
  } finally {
    database.close();
  }
  const result = await shepherd([
    'report',
    '--month',
    '2026-11',
    '--database',
    seeded.url,
    '--format',
    'json',
  ]);
  assert.equal(result.code, 1);
  const report = parseReport(result.stdout);
  assert.equal(report.total.costMicros, '3750001');
  assert.equal(report.ledgerTotalMicros, '3750000');
  assert.equal(report.matchesLedger, false);
});
