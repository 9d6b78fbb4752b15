import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseScaledDecimal } from './parse-scaled-decimal.ts';

test('scales decimal text to an exact integer', () => {
  assert.equal(parseScaledDecimal('0.028'), 28_000n);
  assert.equal(parseScaledDecimal('15'), 15_000_000n);
  assert.equal(parseScaledDecimal('1437.35'), 1_437_350_000n);
  assert.equal(parseScaledDecimal('0.000001'), 1n);
  assert.equal(parseScaledDecimal('0'), 0n);
  assert.equal(parseScaledDecimal('007.50'), 7_500_000n);
  assert.equal(parseScaledDecimal('-2.5'), -2_500_000n);
  assert.equal(parseScaledDecimal('12', 0), 12n);
  assert.equal(parseScaledDecimal('1.5', 2), 150n);
  assert.equal(
    parseScaledDecimal('123456789012345678901234567890.123456'),
    123456789012345678901234567890123456n,
  );
});

test('refuses to drop fractional digits', () => {
  assert.throws(() => parseScaledDecimal('0.0000001'), RangeError);
  assert.throws(() => parseScaledDecimal('1.5', 0), RangeError);
  assert.throws(() => parseScaledDecimal('1', -1), RangeError);
});

test('rejects anything but plain decimal text', () => {
  for (const text of [
    '',
    ' 1',
    '1 ',
    '+1',
    '1e3',
    '1.',
    '.5',
    '1,000',
    '0x10',
    '1.2.3',
    '--1',
    '∞',
    'NaN',
    '１',
  ]) {
    assert.throws(() => parseScaledDecimal(text), SyntaxError, JSON.stringify(text));
  }
});

test('round-trips every integer written with at most `scale` fractional digits', () => {
  fc.assert(
    fc.property(
      fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
      fc.integer({ min: 0, max: 12 }),
      fc.integer({ min: 0, max: 12 }),
      (value, digits, extraScale) => {
        const scale = digits + extraScale;
        const magnitude = value < 0n ? -value : value;
        const unit = 10n ** BigInt(digits);
        const fraction = (magnitude % unit).toString().padStart(digits, '0');
        const text = `${value < 0n ? '-' : ''}${magnitude / unit}${digits > 0 ? `.${fraction}` : ''}`;
        assert.equal(parseScaledDecimal(text, scale), value * 10n ** BigInt(extraScale));
      },
    ),
  );
});
