import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CLI = ['--import', 'tsx', 'src/cli/main.ts'];
const cwd = new URL('../..', import.meta.url).pathname;
const env = Object.fromEntries(
  Object.entries(process.env).filter(
    ([name]) => !/_API_KEY$/.test(name) && !name.startsWith('SHEPHERD_'),
  ),
);

interface CliResult {
  stdout: string;
  stderr: string;
  code: number;
}

function cli(database: string) {
  return async (...args: string[]): Promise<CliResult> => {
    try {
      const { stdout, stderr } = await run(
        process.execPath,
        [...CLI, ...args, '--database', database],
        {
          cwd,
          env,
        },
      );
      return { stdout, stderr, code: 0 };
    } catch (error) {
      const failed = error as CliResult;
      return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
    }
  };
}

function ok(result: CliResult): string {
  assert.equal(result.code, 0, result.stderr);
  return result.stdout;
}

/** A clear one-line error, exit 1, no stack trace. */
function fails(result: CliResult, message: RegExp): void {
  assert.equal(result.code, 1, result.stdout);
  assert.match(result.stderr, message);
  assert.doesNotMatch(result.stderr, /at .*\.ts:\d+/);
}

function freshDatabase(): string {
  return `sqlite:${join(mkdtempSync(join(tmpdir(), 'shepherd-ledger-cli-')), 'shepherd.db')}`;
}

test('accounts and credits: signup bonus, idempotent top-ups, adjustments, refunds, history', async () => {
  const shepherd = cli(freshDatabase());
  assert.match(
    ok(await shepherd('accounts', 'create', 'acme')),
    /Account acct_\w+ "acme" created\. Balance: ₩1,000 \(signup bonus\)/,
  );
  fails(await shepherd('accounts', 'create', 'acme'), /already exists/);

  assert.match(
    ok(
      await shepherd(
        'credits',
        'top-up',
        'acme',
        '5000',
        '--reference',
        'bank-1',
        '--actor',
        'ops-kim',
      ),
    ),
    /Posted top-up of ₩5,000 to "acme".*Available: ₩6,000/,
  );
  assert.match(
    ok(await shepherd('credits', 'top-up', 'acme', '5000', '--reference', 'bank-1')),
    /Already posted for reference "bank-1".*nothing changed/,
  );
  assert.match(
    ok(
      await shepherd(
        'credits',
        'adjust',
        'acme',
        '-500.5',
        '--reason',
        'reverse double',
        '--actor',
        'ops-lee',
      ),
    ),
    /Posted adjustment of -₩500\.5.*Available: ₩5,499\.5/,
  );
  ok(
    await shepherd(
      'credits',
      'refund',
      'acme',
      '0.5',
      '--reference',
      'ticket-9',
      '--reason',
      'failed call',
    ),
  );

  const [conflict, badAmount, noReason, noAccount, overdraw] = await Promise.all([
    shepherd('credits', 'top-up', 'acme', '6000', '--reference', 'bank-1'),
    shepherd('credits', 'top-up', 'acme', '12,000', '--reference', 'bank-2'),
    shepherd('credits', 'adjust', 'acme', '100', '--actor', 'ops'),
    shepherd('credits', 'balance', 'nobody'),
    shepherd('credits', 'adjust', 'acme', '-99999', '--reason', 'x', '--actor', 'ops'),
  ]);
  fails(conflict, /already used for another credit/);
  fails(badAmount, /amount: "12,000" is not an amount/);
  fails(noReason, /required option '--reason <text>'/);
  fails(noAccount, /no account named "nobody"/);
  fails(overdraw, /exceeds the available balance/);

  assert.match(ok(await shepherd('credits', 'balance', 'acme')), /Available: ₩5,500\n/);
  const history = ok(await shepherd('credits', 'history', 'acme', '--limit', '2'));
  assert.match(history, /refund.*failed call/);
  assert.match(history, /adjustment.*ops-lee.*reverse double/);
  assert.doesNotMatch(history, /top_up/);
  assert.match(ok(await shepherd('accounts', 'list')), /acme.*₩5,500/);

  ok(await shepherd('accounts', 'disable', 'acme'));
  assert.match(ok(await shepherd('accounts', 'show', 'acme')), /Status: +disabled since/);
  ok(await shepherd('accounts', 'enable', 'acme'));
  assert.match(
    ok(await shepherd('accounts', 'show', 'acme')),
    /Status: +active\n[\s\S]*Available: ₩5,500/,
  );
});

test('vouchers: generate (printed or CSV), list, show, redeem exactly once', async () => {
  const database = freshDatabase();
  const shepherd = cli(database);
  ok(await shepherd('accounts', 'create', 'buyer'));
  const printed = ok(
    await shepherd(
      'vouchers',
      'generate',
      '--amount',
      '3000',
      '--count',
      '2',
      '--name',
      'bank-sale',
    ),
  );
  const codes = printed.match(/^SHEP(-[2-9A-HJ-NP-Z]{4}){4}$/gm) ?? [];
  assert.equal(codes.length, 2, printed);
  const batchId = /Batch (vbat_\w+)/.exec(printed)?.[1] ?? '';
  assert.ok(batchId, printed);

  const out = join(mkdtempSync(join(tmpdir(), 'shepherd-vouchers-')), 'codes.csv');
  assert.match(
    ok(
      await shepherd(
        'vouchers',
        'generate',
        '--amount',
        '10',
        '--count',
        '3',
        '--name',
        'csv',
        '--out',
        out,
      ),
    ),
    /written to/,
  );
  const rows = readFileSync(out, 'utf8').trimEnd().split('\r\n');
  assert.equal(rows.length, 4);
  assert.match(rows[1] ?? '', /^SHEP(-[2-9A-HJ-NP-Z]{4}){4},10,KRW,vbat_\w+,csv,$/);
  writeFileSync(`${out}.taken`, 'keep me');
  fails(
    await shepherd(
      'vouchers',
      'generate',
      '--amount',
      '10',
      '--count',
      '1',
      '--name',
      'x',
      '--out',
      `${out}.taken`,
    ),
    /EEXIST|exists/,
  );
  assert.equal(readFileSync(`${out}.taken`, 'utf8'), 'keep me');
  fails(
    await shepherd(
      'vouchers',
      'generate',
      '--amount',
      '10',
      '--count',
      '1',
      '--name',
      'y',
      '--out',
      join(out, 'no-such-folder', 'codes.csv'),
    ),
    /no codes were generated/,
  );
  // The codes are shown only once: a batch must not be saved when its file cannot be written.
  assert.doesNotMatch(ok(await shepherd('vouchers', 'list')), /'[xy]'/);

  const listed = ok(await shepherd('vouchers', 'list'));
  assert.match(listed, /bank-sale.*₩3,000.*2.*0/);
  const shown = ok(await shepherd('vouchers', 'show', batchId));
  for (const code of codes) {
    assert.ok(shown.includes(code.slice(-4)));
    assert.ok(!shown.includes(code), 'a code is never shown again');
  }

  const first = codes[0] ?? '';
  assert.match(
    ok(await shepherd('vouchers', 'redeem', first.toLowerCase(), '--account', 'buyer')),
    /Redeemed ₩3,000 for "buyer"\. Available: ₩4,000/,
  );
  const [again, unknown, malformed, badCount] = await Promise.all([
    shepherd('vouchers', 'redeem', first, '--account', 'buyer'),
    shepherd('vouchers', 'redeem', 'SHEP-2222-3333-4444-5555', '--account', 'buyer'),
    shepherd('vouchers', 'redeem', 'SHEP-0000', '--account', 'buyer'),
    shepherd('vouchers', 'generate', '--amount', '1', '--count', '10001', '--name', 'big'),
  ]);
  fails(again, /already redeemed/);
  fails(unknown, /No voucher has this code/);
  fails(malformed, /not a voucher code/);
  fails(badCount, /1 to 10000 codes/);
  assert.match(ok(await shepherd('vouchers', 'show', batchId)), /1 redeemed/);
});

test('keys policy shows and changes the cap, the model allow-list and the expiry', async () => {
  const shepherd = cli(freshDatabase());
  const created = ok(await shepherd('keys', 'create', '--account', 'team'));
  const keyId = /Key (key_[0-9a-f]+)/.exec(created)?.[1] ?? '';
  assert.ok(keyId, created);
  assert.match(
    ok(await shepherd('keys', 'policy', keyId)),
    /monthly cap: none\n {2}models: {6}all\n {2}expires: {5}never/,
  );
  assert.match(
    ok(
      await shepherd(
        'keys',
        'policy',
        keyId,
        '--monthly-cap',
        '2500',
        '--models',
        'GPT-4.1,gemini-2.5-flash',
        '--expires',
        '2030-01-01T00:00:00Z',
      ),
    ),
    /Updated[\s\S]*monthly cap: ₩2,500\n {2}models: {6}gpt-4\.1, gemini-2\.5-flash\n {2}expires: {5}2030-01-01T00:00:00\.000Z/,
  );
  assert.match(
    ok(
      await shepherd(
        'keys',
        'policy',
        keyId,
        '--monthly-cap',
        'none',
        '--models',
        'all',
        '--expires',
        'never',
      ),
    ),
    /monthly cap: none\n {2}models: {6}all\n {2}expires: {5}never/,
  );
  const [unknownModel, badCap, unknownKey] = await Promise.all([
    shepherd('keys', 'policy', keyId, '--models', 'gpt-5'),
    shepherd('keys', 'policy', keyId, '--monthly-cap', '-1'),
    shepherd('keys', 'policy', 'key_000000000000000000000000'),
  ]);
  fails(unknownModel, /--models: unknown model "gpt-5"/);
  fails(badCap, /--monthly-cap: the amount must be positive/);
  fails(unknownKey, /no API key with id/);
});
