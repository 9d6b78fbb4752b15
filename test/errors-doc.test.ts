import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ERROR_CATALOG, type ErrorCode } from '../src/errors/error-catalog.ts';

test('docs/errors.md lists exactly the catalogue, with the same status, type, code and retryability', () => {
  const text = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
  const rows = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    if (cells[1]?.startsWith('GW_ERR_')) rows.set(cells[1], cells.slice(2, 6));
  }
  assert.deepEqual([...rows.keys()].sort(), Object.keys(ERROR_CATALOG).sort());
  for (const [code, entry] of Object.entries(ERROR_CATALOG)) {
    const row = rows.get(code as ErrorCode);
    assert.deepEqual(
      row,
      [String(entry.status), entry.type, entry.openaiCode, entry.retryable ? 'yes' : 'no'],
      code,
    );
  }
});
