import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  API_KEY_PREFIX,
  displayApiKey,
  generateApiKey,
  hashApiKey,
  isWellFormedApiKey,
} from './api-keys.ts';

test('generated keys have the documented shape, prefix and last four', () => {
  const { key, prefix, lastFour } = generateApiKey();
  assert.match(key, /^sk-shep-[0-9A-Za-z]{40}$/);
  assert.equal(prefix, key.slice(0, 12));
  assert.ok(prefix.startsWith(API_KEY_PREFIX));
  assert.equal(lastFour, key.slice(-4));
  assert.equal(isWellFormedApiKey(key), true);
});

test('keys are distinct and use the whole alphabet', () => {
  const keys = Array.from({ length: 2_000 }, () => generateApiKey().key);
  assert.equal(new Set(keys).size, keys.length);
  const seen = new Set(keys.flatMap((key) => [...key.slice(API_KEY_PREFIX.length, -6)]));
  assert.equal(seen.size, 62);
});

test('any single-character change breaks the checksum', () => {
  const { key } = generateApiKey();
  for (let index = API_KEY_PREFIX.length; index < key.length; index += 1) {
    const replacement = key[index] === 'a' ? 'b' : 'a';
    const altered = key.slice(0, index) + replacement + key.slice(index + 1);
    assert.equal(isWellFormedApiKey(altered), false, `position ${index}`);
  }
});

test('foreign, truncated, padded and empty keys are not well formed', () => {
  const { key } = generateApiKey();
  const foreign = `sk-proj-${key.slice(API_KEY_PREFIX.length)}`;
  for (const candidate of [
    foreign,
    'sk-ant-api03-abcdef',
    key.slice(0, -1),
    `${key}x`,
    ` ${key}`,
    key.toUpperCase(),
    '',
    "' OR 1=1--",
  ]) {
    assert.equal(isWellFormedApiKey(candidate), false, candidate);
  }
});

test('hashApiKey is HMAC-SHA256 hex, keyed by the pepper', () => {
  assert.equal(
    hashApiKey('The quick brown fox jumps over the lazy dog', 'key'),
    'f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8',
  );
  const { key } = generateApiKey();
  assert.notEqual(hashApiKey(key, 'pepper-one'), hashApiKey(key, 'pepper-two'));
  assert.throws(() => hashApiKey(key, ''), /pepper/);
});

test('displayApiKey joins prefix and last four with an ellipsis', () => {
  assert.equal(displayApiKey('sk-shep-AbCd', 'wxyz'), 'sk-shep-AbCd…wxyz');
});
