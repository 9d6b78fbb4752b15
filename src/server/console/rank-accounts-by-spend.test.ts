import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rankAccountsBySpend } from './rank-accounts-by-spend.ts';

test('accounts sum their requests and rank by spend, ties by id, cut at the limit', () => {
  const records = [
    { accountId: 'acct_b', costMicros: 5n },
    { accountId: 'acct_a', costMicros: 3n },
    { accountId: 'acct_c', costMicros: 1n },
    { accountId: 'acct_a', costMicros: 2n },
    { accountId: 'acct_d', costMicros: 0n },
  ];
  assert.deepEqual(rankAccountsBySpend(records, 3), [
    { accountId: 'acct_a', requests: 2, costMicros: 5n },
    { accountId: 'acct_b', requests: 1, costMicros: 5n },
    { accountId: 'acct_c', requests: 1, costMicros: 1n },
  ]);
  assert.deepEqual(rankAccountsBySpend([], 10), []);
});
