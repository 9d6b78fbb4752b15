import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { createAdminTokenCheck, readAdminBearer } from './create-admin-token-check.ts';

const TOKEN = 'admin-token-5e8b1c4f7a2d9e06';

test('only the exact token matches, whatever the candidate length', () => {
  const isAdmin = createAdminTokenCheck(TOKEN);
  assert.equal(isAdmin(TOKEN), true);
  for (const candidate of [
    undefined,
    '',
    TOKEN.slice(0, -1),
    `${TOKEN}x`,
    TOKEN.toUpperCase(),
    ` ${TOKEN}`,
    'x'.repeat(10_000),
  ]) {
    assert.equal(isAdmin(candidate), false, String(candidate));
  }
  assert.throws(() => createAdminTokenCheck(''), /must not be empty/);
  assert.throws(() => createAdminTokenCheck('  '), /must not be empty/);
});

test('the comparison hashes both sides and uses timingSafeEqual, never === on the secret (F2)', () => {
  const source = readFileSync(new URL('./create-admin-token-check.ts', import.meta.url), 'utf8');
  assert.match(source, /timingSafeEqual\(digest\(candidate\), expected\)/);
  assert.doesNotMatch(source, /candidate ===|=== token|token ===/);
});

test('the token comes from Authorization: Bearer only', () => {
  assert.equal(readAdminBearer(`Bearer ${TOKEN}`), TOKEN);
  assert.equal(readAdminBearer(`bearer   ${TOKEN}  `), TOKEN);
  assert.equal(readAdminBearer(undefined), undefined);
  assert.equal(readAdminBearer(TOKEN), undefined);
  assert.equal(readAdminBearer(`Basic ${TOKEN}`), undefined);
  assert.equal(readAdminBearer(`Bearer ${TOKEN} extra`), undefined);
});
