import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { microsToDecimalText } from './micros-to-decimal-text.ts';
import { parseScaledDecimal } from './parse-scaled-decimal.ts';

test('micro-units print as exact whole-unit decimals without trailing zeros', () => {
  assert.equal(microsToDecimalText(0n), '0');
  assert.equal(microsToDecimalText(1_000_000_000n), '1000');
  assert.equal(microsToDecimalText(12_500_000n), '12.5');
  assert.equal(microsToDecimalText(1n), '0.000001');
  assert.equal(microsToDecimalText(-4200n), '-0.0042');
  assert.equal(microsToDecimalText(2n ** 70n), '1180591620717411.303424');
});

test('the text parses back to the same amount', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }), (micros) => {
      assert.equal(parseScaledDecimal(microsToDecimalText(micros)), micros);
    }),
  );
});
