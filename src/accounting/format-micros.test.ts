import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatMicros } from './format-micros.ts';
import { parseScaledDecimal } from './parse-scaled-decimal.ts';

test("shows the currency's usual digits, and more only where the amount has them", () => {
  assert.equal(formatMicros(1_234_560_000n, 'KRW', 'en-US'), '₩1,234.56');
  assert.equal(formatMicros(21_000_000_000n, 'KRW', 'en-US'), '₩21,000');
  assert.equal(formatMicros(4_200n, 'KRW', 'en-US'), '₩0.0042');
  assert.equal(formatMicros(3_000_001n, 'KRW', 'en-US'), '₩3.000001');
  assert.equal(formatMicros(0n, 'KRW', 'en-US'), '₩0');
  assert.equal(formatMicros(1_500_000n, 'USD', 'en-US'), '$1.50');
  assert.equal(formatMicros(1_234_567n, 'USD', 'en-US'), '$1.234567');
  assert.equal(formatMicros(-500_000n, 'KRW', 'en-US'), '-₩0.5');
  assert.equal(formatMicros(1_234_560_000n, 'KRW', 'ko-KR'), '₩1,234.56');
  assert.equal(formatMicros(1_234_560_000n, 'EUR', 'de-DE'), '1.234,56\u00a0€');
});

test('keeps every digit of amounts past 2^53 micro-units', () => {
  assert.equal(
    formatMicros(123_456_789_012_345_678_901n, 'KRW', 'en-US'),
    '₩123,456,789,012,345.678901',
  );
});

test('never rounds: the display reads back as the same number of micro-units', () => {
  fc.assert(
    fc.property(
      fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n }),
      fc.constantFrom('KRW', 'USD', 'JPY', 'KWD'),
      (micros, currency) => {
        const shown = formatMicros(micros, currency, 'en-US');
        assert.equal(parseScaledDecimal(shown.replace(/[^\d.-]/g, '')), micros, shown);
      },
    ),
  );
});
