import { safeParseJson } from './safe-parse-json.ts';

export const QUOTE = 34;
export const BACKSLASH = 92;
/** Below this, a character must be escaped in a JSON string. */
export const FIRST_PLAIN_CHARACTER = 0x20;
const FIRST_SURROGATE = 0xd800;
const LAST_SURROGATE = 0xdfff;
/**
 * V8 copies a slice shorter than this into a string of its own; a longer one is a view that keeps
 * the whole string it was cut from alive (V8's `SlicedString::kMinLength`).
 */
const MAX_COPIED_SLICE = 12;

/**
 * The text of the JSON string literal `data[start, end)` (quotes included), or undefined when that
 * is not exactly one valid JSON string. Runs once per streamed token: a short literal without
 * escapes (nearly every token) is cut out rather than parsed. `JSON.parse` of a string of up to
 * 10 characters also looks it up in V8's string table, which cost more than the parse itself
 * here. A longer or escaped literal is parsed, which also gives a string of its own: the text is
 * kept for the stream's life (the meter's estimate), and must not keep the whole upstream chunk
 * alive with it.
 */
export function readJsonStringLiteral(
  data: string,
  start: number,
  end: number,
): string | undefined {
  const length = end - start - 2;
  if (length < 0 || data.charCodeAt(start) !== QUOTE || data.charCodeAt(end - 1) !== QUOTE) {
    return undefined;
  }
  if (length <= MAX_COPIED_SLICE && isPlainText(data, start + 1, end - 1)) {
    return data.slice(start + 1, end - 1);
  }
  const parsed = safeParseJson(data.slice(start, end));
  return parsed.ok && typeof parsed.value === 'string' ? parsed.value : undefined;
}

/**
 * True when `text[start, end)` goes into a JSON string as it is: no quote, backslash or control
 * character, and no surrogate (`JSON.stringify` escapes a lone one; a pair is left to it too).
 */
export function isPlainText(text: string, start: number, end: number): boolean {
  for (let index = start; index < end; index += 1) {
    const code = text.charCodeAt(index);
    if (
      code < FIRST_PLAIN_CHARACTER ||
      code === QUOTE ||
      code === BACKSLASH ||
      (code >= FIRST_SURROGATE && code <= LAST_SURROGATE)
    ) {
      return false;
    }
  }
  return true;
}
