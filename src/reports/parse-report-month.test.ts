import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidReportMonthError, parseReportMonth, reportPeriodOf } from './parse-report-month.ts';

test('a month is [its first instant, the next month’s first instant) in UTC', () => {
  assert.deepEqual(parseReportMonth('2026-11'), {
    month: '2026-11',
    from: new Date('2026-11-01T00:00:00.000Z'),
    to: new Date('2026-12-01T00:00:00.000Z'),
  });
  assert.deepEqual(parseReportMonth('2026-12'), {
    month: '2026-12',
    from: new Date('2026-12-01T00:00:00.000Z'),
    to: new Date('2027-01-01T00:00:00.000Z'),
  });
  assert.equal(parseReportMonth('2028-02').to.toISOString(), '2028-03-01T00:00:00.000Z');
});

test('anything but a YYYY-MM calendar month is refused with a message naming the format', () => {
  for (const bad of [
    '2026-13',
    '2026-00',
    '2026-1',
    '26-11',
    '2026-11-01',
    ' 2026-11',
    '',
    'now',
    '1969-12',
  ]) {
    assert.throws(
      () => parseReportMonth(bad),
      (error: unknown) =>
        error instanceof InvalidReportMonthError &&
        error.message ===
          `month must be a calendar month written YYYY-MM (for example 2026-11), not "${bad}"`,
      bad,
    );
  }
});

test('the period of an instant is its UTC month, to the millisecond at the boundary', () => {
  assert.equal(reportPeriodOf(new Date('2026-11-30T23:59:59.999Z')).month, '2026-11');
  assert.equal(reportPeriodOf(new Date('2026-12-01T00:00:00.000Z')).month, '2026-12');
  // 08:00 in Seoul on 1 December is still November in UTC.
  assert.equal(reportPeriodOf(new Date('2026-12-01T08:00:00+09:00')).month, '2026-11');
});
