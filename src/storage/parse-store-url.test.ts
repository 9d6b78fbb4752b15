import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseStoreUrl } from './parse-store-url.ts';

test('sqlite URLs, the in-memory form and bare paths select SQLite', () => {
  assert.deepEqual(parseStoreUrl('sqlite:./data/shepherd.db'), {
    engine: 'sqlite',
    filename: './data/shepherd.db',
  });
  assert.deepEqual(parseStoreUrl('sqlite::memory:'), { engine: 'sqlite', filename: ':memory:' });
  assert.deepEqual(parseStoreUrl('sqlite:///var/lib/shepherd.db'), {
    engine: 'sqlite',
    filename: '/var/lib/shepherd.db',
  });
  assert.deepEqual(parseStoreUrl('/tmp/x.db'), { engine: 'sqlite', filename: '/tmp/x.db' });
  assert.deepEqual(parseStoreUrl('C:\\data\\x.db'), {
    engine: 'sqlite',
    filename: 'C:\\data\\x.db',
  });
});

test('postgres and postgresql URLs select PostgreSQL, kept whole', () => {
  for (const url of ['postgres://u:p@h:5432/d', 'postgresql://h/d?sslmode=disable']) {
    assert.deepEqual(parseStoreUrl(url), { engine: 'postgres', connectionString: url });
  }
});

test('empty input, an empty sqlite path and foreign schemes are refused', () => {
  assert.throws(() => parseStoreUrl('  '), /empty/);
  assert.throws(() => parseStoreUrl('sqlite:'), /names no file/);
  assert.throws(() => parseStoreUrl('mysql://h/d'), /Unsupported/);
});
