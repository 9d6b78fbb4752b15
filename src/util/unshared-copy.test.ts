import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unsharedCopy } from './unshared-copy.ts';

test('the copy equals its source, whatever it holds', () => {
  const source = `data: {"id":"x","delta":{"content":"양 떼 🐑 \\" \n\u0000\ud800 end"}}`;
  for (const piece of [source, source.slice(6, 40), source.slice(20), '', 'a']) {
    assert.equal(unsharedCopy(piece), piece);
  }
});
