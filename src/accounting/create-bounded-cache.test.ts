import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createBoundedCache } from './create-bounded-cache.ts';

test('evicts the least recently used entry past its size', () => {
  const cache = createBoundedCache<number>(2);
  cache.set('a', 1);
  cache.set('b', 2);
  assert.equal(cache.get('a'), 1);
  cache.set('c', 3);
  assert.equal(cache.get('b'), undefined);
  assert.equal(cache.get('a'), 1);
  assert.equal(cache.get('c'), 3);
  assert.equal(cache.size, 2);
  cache.delete('a');
  cache.clear();
  assert.equal(cache.size, 0);
  assert.throws(() => createBoundedCache(0), /positive integer/);
});
