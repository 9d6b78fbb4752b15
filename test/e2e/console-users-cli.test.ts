import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { verifyPassword } from '../../src/server/console/hash-password.ts';
import { openStore } from '../../src/storage/open-store.ts';
import { cliEnvironment, runShepherdResult } from '../helpers/run-shepherd-cli.ts';

const shepherd = (args: string[], stdin?: string) =>
  runShepherdResult(args, cliEnvironment(), stdin);

test('console-users: create (generated or piped password), promote, demote, list', async () => {
  const database = `sqlite:${join(mkdtempSync(join(tmpdir(), 'shepherd-console-cli-')), 'shepherd.db')}`;

  const created = await shepherd([
    'console-users',
    'create',
    'Ops@Example.com',
    '--database',
    database,
  ]);
  assert.equal(created.code, 0, created.stderr);
  const password = /Password \(shown once\): (\S+)/.exec(created.stdout)?.[1];
  assert.ok(password !== undefined && password.length >= 20, created.stdout);
  assert.match(created.stdout, /ops@example\.com \(user\)/);

  const piped = await shepherd(
    [
      'console-users',
      'create',
      'lead@example.com',
      '--admin',
      '--password-stdin',
      '--database',
      database,
    ],
    'Piped-Passphrase-2026\n',
  );
  assert.equal(piped.code, 0, piped.stderr);
  assert.doesNotMatch(piped.stdout, /Password/, 'a piped password is never echoed');

  const weak = await shepherd(
    ['console-users', 'create', 'weak@example.com', '--password-stdin', '--database', database],
    'password1234\n',
  );
  assert.equal(weak.code, 1);
  assert.match(weak.stderr, /^shepherd: .*common/m);
  const taken = await shepherd([
    'console-users',
    'create',
    'ops@example.com',
    '--database',
    database,
  ]);
  assert.equal(taken.code, 1);
  assert.match(taken.stderr, /already exists/);

  assert.equal(
    (await shepherd(['console-users', 'promote', 'ops@example.com', '--database', database])).code,
    0,
  );
  assert.equal(
    (await shepherd(['console-users', 'demote', 'lead@example.com', '--database', database])).code,
    0,
  );
  const unknown = await shepherd([
    'console-users',
    'promote',
    'nobody@example.com',
    '--database',
    database,
  ]);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /no console user has the email nobody@example\.com/);

  const listed = await shepherd(['console-users', 'list', '--database', database]);
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, /ops@example\.com/);

  const store = await openStore({ url: database });
  try {
    const ops = await store.findConsoleUserByEmail('ops@example.com');
    const lead = await store.findConsoleUserByEmail('lead@example.com');
    assert.equal(ops?.role, 'admin');
    assert.equal(lead?.role, 'user');
    assert.ok(ops !== undefined && (await verifyPassword(password, ops.passwordHash)));
    assert.ok(
      lead !== undefined && (await verifyPassword('Piped-Passphrase-2026', lead.passwordHash)),
    );
    assert.equal(await store.findConsoleUserByEmail('weak@example.com'), undefined);
    // Each user got an account of its own with the signup bonus, as a self-signup would.
    const balance = await store.getBalance(ops.accountId);
    assert.ok(balance.availableMicros > 0n);
    assert.notEqual(ops.accountId, lead.accountId);
  } finally {
    await store.close();
  }
});
