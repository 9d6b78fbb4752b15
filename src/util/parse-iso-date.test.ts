import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseIsoDate } from './parse-iso-date.ts';

test('a date, or a date-time with its zone, is the instant it names', () => {
  assert.equal(parseIsoDate('2027-01-01')?.toISOString(), '2027-01-01T00:00:00.000Z');
  assert.equal(parseIsoDate('2028-02-29')?.toISOString(), '2028-02-29T00:00:00.000Z');
  assert.equal(parseIsoDate('2027-01-01T00:00:00Z')?.toISOString(), '2027-01-01T00:00:00.000Z');
  assert.equal(parseIsoDate('2027-01-01T09:30Z')?.toISOString(), '2027-01-01T09:30:00.000Z');
  assert.equal(
    parseIsoDate('2027-01-01T09:00:00.25+09:00')?.toISOString(),
    '2027-01-01T00:00:00.250Z',
  );
  assert.equal(
    parseIsoDate('2026-12-31T20:00:00-05:00')?.toISOString(),
    '2027-01-01T01:00:00.000Z',
  );
});

test('a day that does not exist, a time without a zone, or anything loose is refused', () => {
  for (const text of [
    '2027-02-30',
    '2027-02-30T00:00:00Z',
    '2027-02-29T00:00:00Z',
    '2027-04-31',
    '2027-13-01',
    '2027-00-10',
    '2027-01-01T00:00:00',
    '2027-01-01T24:00:00Z',
    '2027-01-01T10:60:00Z',
    '2027-01-01T10:00:60Z',
    '2027-01-01T10:00:00+24:00',
    '2027-01-01 00:00:00Z',
    '2027-01-01Z',
    '12',
    '2027-1-1',
    '',
  ]) {
    assert.equal(parseIsoDate(text), undefined, text);
  }
});
