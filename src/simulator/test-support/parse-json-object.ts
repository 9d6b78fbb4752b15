import assert from 'node:assert/strict';
import { isRecord, safeParseJson } from '../../util/safe-parse-json.ts';

/** Parses JSON that a test expects to be an object, failing the test otherwise. */
export function parseJsonObject(text: string): Record<string, unknown> {
  const parsed = safeParseJson(text);
  assert.ok(parsed.ok, `not JSON: ${text}`);
  assert.ok(isRecord(parsed.value), `not an object: ${text}`);
  return parsed.value;
}
