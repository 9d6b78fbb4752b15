import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashPassword, verifyPassword } from './hash-password.ts';

test('a hash carries its parameters and a per-user salt, and verifies only its password', async () => {
  const first = await hashPassword('correct horse 42');
  const second = await hashPassword('correct horse 42');
  assert.match(first, /^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
  assert.notEqual(first, second, 'two users with one password get different hashes');
  assert.equal(await verifyPassword('correct horse 42', first), true);
  assert.equal(await verifyPassword('correct horse 42', second), true);
  assert.equal(await verifyPassword('correct horse 43', first), false);
  assert.equal(await verifyPassword('', first), false);
});

test('a stored value in another format or with absurd parameters never matches', async () => {
  const hash = await hashPassword('abc123XYZ!');
  const [, , , , salt, key] = hash.split('$');
  for (const stored of [
    '',
    'plain-text',
    `bcrypt$16384$8$1$${salt}$${key}`,
    `scrypt$16384$8$1$${salt}$${key?.slice(0, 20)}`,
    `scrypt$4294967296$8$1$${salt}$${key}`,
  ]) {
    assert.equal(await verifyPassword('abc123XYZ!', stored), false, stored);
  }
});
