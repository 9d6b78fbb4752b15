import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvCell, csvTextCell } from './csv-cell.ts';

test('csvTextCell quotes as RFC 4180 and defuses what a spreadsheet would run', () => {
  assert.equal(csvTextCell('gpt-4.1'), 'gpt-4.1');
  assert.equal(csvTextCell('@cf/meta/llama-3.1-8b-instruct'), "'@cf/meta/llama-3.1-8b-instruct");
  assert.equal(csvTextCell('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
  for (const start of ['+', '-', '\t', '\r'])
    assert.equal(csvTextCell(`${start}1`)[0], start === '\r' ? '"' : "'");
  assert.equal(csvTextCell('a,b'), '"a,b"');
  assert.equal(csvTextCell(null), '');
});

test('csvCell keeps a number as it is', () => {
  assert.equal(csvCell(-5), '-5');
  assert.equal(csvCell('-1.5'), '-1.5');
  assert.equal(csvCell(undefined), '');
});
