import { safeParseJson } from './safe-parse-json.ts';

/**
 * A copy of `text` that shares no memory with any other string. V8 cuts a substring of 13
 * characters or more as a view into the string it came from, so a short piece kept for long keeps
 * its whole source alive: a piece of a stream's first message kept for the stream's life held the
 * network read it was cut from (docs/benchmarks.md, memory per open stream). For pieces kept once,
 * not for every message: the copy costs a JSON round trip.
 */
export function unsharedCopy(text: string): string {
  const copy = safeParseJson(JSON.stringify(text));
  if (!copy.ok || typeof copy.value !== 'string') {
    throw new Error('a JSON string literal did not parse back to a string');
  }
  return copy.value;
}
