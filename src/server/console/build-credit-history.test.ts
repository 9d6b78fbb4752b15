import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildCreditHistory } from './build-credit-history.ts';

test('credits stay individual, usage is one line per day, newest first', () => {
  const history = buildCreditHistory(
    [
      {
        transactionId: 'txn_bonus',
        kind: 'signup_bonus',
        amountMicros: 1_000_000_000n,
        requestId: null,
        actor: 'system',
        reason: 'signup bonus',
        createdAt: new Date('2030-01-01T09:00:00Z'),
      },
      {
        transactionId: 'txn_voucher',
        kind: 'voucher',
        amountMicros: 5_000_500_000n,
        requestId: null,
        actor: null,
        reason: null,
        createdAt: new Date('2030-01-02T10:00:00Z'),
      },
    ],
    [
      { date: '2030-01-02', chargedMicros: 1_250_000n, transactions: 3 },
      { date: '2030-01-01', chargedMicros: 10n, transactions: 1 },
    ],
  );
  assert.deepEqual(
    history.map((item) => [item.type, item.amount, item.at]),
    [
      ['usage', '-1.25', '2030-01-03T00:00:00.000Z'],
      ['credit', '5000.5', '2030-01-02T10:00:00.000Z'],
      ['usage', '-0.00001', '2030-01-02T00:00:00.000Z'],
      ['credit', '1000', '2030-01-01T09:00:00.000Z'],
    ],
  );
  const day = history[0];
  assert.ok(day?.type === 'usage');
  assert.equal(day.requests, 3);
  assert.equal(day.amountMicros, '-1250000');
});
