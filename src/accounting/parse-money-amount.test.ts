import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseMoneyAmount } from './parse-money-amount.ts';

test('whole units as decimal text become exact micro-units', () => {
  assert.equal(parseMoneyAmount('1000'), 1_000_000_000n);
  assert.equal(parseMoneyAmount('12.5'), 12_500_000n);
  assert.equal(parseMoneyAmount('0.000001'), 1n);
  assert.equal(parseMoneyAmount(' 7 '), 7_000_000n);
  assert.equal(parseMoneyAmount('1000000000'), 1_000_000_000_000_000n);
  assert.equal(parseMoneyAmount('-500', { allowNegative: true }), -500_000_000n);
});

test('zero, negatives, junk, sub-micro digits and huge amounts are refused (D17)', () => {
  for (const [text, pattern] of [
    ['0', /not be zero/],
    ['0.000000', /not be zero/],
    ['-0', /not be zero/],
    ['-5', /positive/],
    ['abc', /not an amount/],
    ['1e6', /not an amount/],
    ['+5', /not an amount/],
    ['1,000', /not an amount/],
    ['', /not an amount/],
    ['0.0000001', /6 digits/],
    ['1000000000.000001', /one operation/],
    ['99999999999999999999999', /one operation/],
  ] as const) {
    assert.throws(() => parseMoneyAmount(text), { name: 'RangeError', message: pattern }, text);
  }
  assert.throws(() => parseMoneyAmount('-1000000001', { allowNegative: true }), /one operation/);
});
