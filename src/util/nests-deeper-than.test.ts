import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nestsDeeperThan } from './nests-deeper-than.ts';

/** `depth` arrays, one inside the other. */
const arrays = (depth: number) => JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown;
/** `depth` objects, one inside the other (`{"a":{"a":{}}}` is 3). */
const objects = (depth: number) =>
  JSON.parse(`${'{"a":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}`) as unknown;

test('scalars nest 0 levels, an empty container one', () => {
  for (const value of [1, 'a', null, true]) assert.equal(nestsDeeperThan(value, 0), false);
  assert.equal(nestsDeeperThan([], 0), true);
  assert.equal(nestsDeeperThan({}, 0), true);
  assert.equal(nestsDeeperThan([], 1), false);
  assert.equal(nestsDeeperThan({}, 1), false);
});

test('the limit itself passes, one level more does not, for arrays and objects alike', () => {
  for (const build of [arrays, objects]) {
    assert.equal(nestsDeeperThan(build(128), 128), false);
    assert.equal(nestsDeeperThan(build(129), 128), true);
  }
  assert.equal(nestsDeeperThan({ wrap: objects(127) }, 128), false);
  assert.equal(nestsDeeperThan([objects(128)], 128), true);
});

test('a deep value behind shallow siblings is found, in objects and arrays', () => {
  const deep = arrays(200);
  assert.equal(nestsDeeperThan({ a: 1, b: 'x', c: [1, 2, { d: deep }] }, 128), true);
  assert.equal(nestsDeeperThan([{ a: 1 }, [[]], deep], 128), true);
});

test('a 10^5-deep value is refused without overflowing the stack', () => {
  assert.equal(nestsDeeperThan(arrays(100_000), 128), true);
  assert.equal(nestsDeeperThan(objects(100_000), 128), true);
});

test('a wide, shallow value is fine', () => {
  const wide = { messages: Array.from({ length: 10_000 }, () => ({ role: 'user', content: 'x' })) };
  assert.equal(nestsDeeperThan(wide, 3), false);
  assert.equal(nestsDeeperThan(wide, 2), true);
});
