import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { cliEnvironment, freePort } from '../helpers/run-shepherd-cli.ts';

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;
const bundle = join(root, 'dist', 'shepherd.mjs');
const env = cliEnvironment();

/** `npm run build:server`: the script `npm start` builds its bundle with (prestart). */
before(async () => {
  const npm = process.env.npm_execpath;
  await run(
    npm === undefined ? 'npm' : process.execPath,
    [...(npm === undefined ? [] : [npm]), 'run', '--silent', 'build:server'],
    { cwd: root },
  );
});

test('the bundle lists every command, and a command loaded alone keeps its subcommands', async () => {
  const help = await run(process.execPath, [bundle, '--help'], { cwd: root, env });
  for (const command of [
    'start',
    'simulate',
    'keys',
    'accounts',
    'credits',
    'vouchers',
    'console-users',
    'migrate',
    'report',
    'ledger',
    'bench',
  ]) {
    assert.match(help.stdout, new RegExp(`^ {2}${command}\\b`, 'm'), `help lists ${command}`);
  }
  const keys = await run(process.execPath, [bundle, 'keys', '--help'], { cwd: root, env });
  assert.match(keys.stdout, /^ {2}policy\b/m);
});

/**
 * Preloaded into the bundle: says at exit whether the PostgreSQL driver and Node's own fetch (which
 * the driver loads by touching `globalThis.Response`) were ever loaded.
 */
const REPORT_LOADED_MODULES = `data:text/javascript,${encodeURIComponent(`
  import { createRequire } from 'node:module';
  const loaded = createRequire(process.cwd() + '/').cache;
  process.on('exit', () => {
    const pg = Object.keys(loaded).some((file) => file.includes('/node_modules/pg/'));
    const fetch = process.moduleLoadList.some((name) => name.includes('internal/deps/undici'));
    process.stderr.write('loaded: pg=' + pg + ' node-fetch=' + fetch + '\\n');
  });
`)}`;

test('the bundle starts the gateway: health, console, a streamed answer, clean shutdown', async (context) => {
  const port = await freePort();
  const database = `sqlite:${join(mkdtempSync(join(tmpdir(), 'shepherd-bundle-')), 'shepherd.db')}`;
  const child = spawn(
    process.execPath,
    [
      `--import=${REPORT_LOADED_MODULES}`,
      bundle,
      'start',
      '--port',
      String(port),
      '--database',
      database,
    ],
    { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  context.after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (!/Demo API key[^\n]*(sk-shep-\S+)/.test(output)) {
    assert.equal(child.exitCode, null, `the bundle exited early:\n${output}`);
    assert.ok(Date.now() < deadline, `no banner in 30 s:\n${output}`);
    await delay(50);
  }
  const key = /Demo API key[^\n]*(sk-shep-\S+)/.exec(output)?.[1];

  const health = await fetch(`${origin}/healthz`);
  assert.equal(health.status, 200);
  assert.deepEqual(await health.json(), { status: 'ok' });

  // The console's files are found from the bundle's folder as from the sources' (web/dist).
  const consolePage = await fetch(`${origin}/console/`);
  await consolePage.arrayBuffer();
  assert.equal(consolePage.status, existsSync(join(root, 'web', 'dist', 'index.html')) ? 200 : 503);

  const stream = await fetch(`${origin}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'gpt-4.1',
      stream: true,
      messages: [{ role: 'user', content: 'Hello [simulate tokens=5]' }],
    }),
  });
  assert.equal(stream.status, 200);
  assert.match(stream.headers.get('content-type') ?? '', /^text\/event-stream/);
  const text = await stream.text();
  assert.match(text, /"delta":\{"content":/);
  assert.match(text, /data: \[DONE\]\n\n$/);

  child.kill('SIGTERM');
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  assert.equal(code, 0, output);
  // A SQLite gateway carries no PostgreSQL driver, nor the fetch it would bring (idle memory).
  assert.match(output, /^loaded: pg=false node-fetch=false$/m);
});
