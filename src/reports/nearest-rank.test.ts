import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nearestRank } from './nearest-rank.ts';

const oneToTwenty = Array.from({ length: 20 }, (_, index) => index + 1);

test('nearest rank is ceil(p × n / 100), a value from the list, never interpolated', () => {
  assert.equal(nearestRank(oneToTwenty, 50), 10);
  assert.equal(nearestRank(oneToTwenty, 95), 19);
  assert.equal(nearestRank(oneToTwenty, 100), 20);
  assert.equal(nearestRank([100, 200], 50), 100);
  assert.equal(nearestRank([100, 200], 95), 200);
  assert.equal(nearestRank([1, 2, 3], 50), 2);
  assert.equal(nearestRank([7], 95), 7);
  assert.equal(nearestRank([10, 20], 0), 10);
  assert.equal(nearestRank([], 50), undefined);
});
