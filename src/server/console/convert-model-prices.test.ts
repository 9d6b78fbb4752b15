import assert from 'node:assert/strict';
import { test } from 'node:test';
import { convertPrices } from './convert-model-prices.ts';

test('USD prices convert at the exchange rate, exactly to the micro-unit, absent kinds left out', () => {
  assert.deepEqual(convertPrices({ input: '2.5', cachedInput: '0.125', output: '10' }, '1400'), {
    usdPerMillionTokens: { input: '2.5', cachedInput: '0.125', output: '10' },
    walletPerMillionTokens: { input: '3500', cachedInput: '175', output: '14000' },
  });
  // 0.000001 USD × 1.5 = 0.0000015 → half up to 0.000002.
  assert.deepEqual(
    convertPrices({ input: '0.000001', output: '0' }, '1.5').walletPerMillionTokens,
    {
      input: '0.000002',
      output: '0',
    },
  );
});
