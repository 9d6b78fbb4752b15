import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateId, generateTimeOrderedId } from './generate-id.ts';

test('random ids: the prefix and 24 hex digits', () => {
  assert.match(generateId('txn'), /^txn_[0-9a-f]{24}$/);
});

test('time-ordered ids keep the format, never repeat and sort in creation order', () => {
  const before = Date.now();
  const ids = Array.from({ length: 10_000 }, () => generateTimeOrderedId('txn'));
  for (const id of ids) assert.match(id, /^txn_[0-9a-f]{24}$/);
  assert.equal(new Set(ids).size, ids.length);
  const first = ids[0] ?? '';
  assert.ok(Number.parseInt(first.slice(4, 16), 16) >= before);
  const sameMillisecond = ids.filter((id) => id.slice(4, 16) === first.slice(4, 16));
  assert.deepEqual([...sameMillisecond].sort(), sameMillisecond);
});
