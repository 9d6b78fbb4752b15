import { isRecord } from './safe-parse-json.ts';

/**
 * Whether a parsed JSON value nests containers (objects, arrays) more than `limit` levels deep:
 * `1` and `"a"` are 0 levels, `[]` and `{}` one, `[{}]` two.
 *
 * It walks the parsed value, not the text: a string is not looked into, however long, and the walk
 * stops as soon as the limit is passed, so it never recurses deeper than `limit` frames whatever
 * the input. A chat body is mostly strings in a few dozen containers, so the walk costs 5–10 % of
 * the parse that built them (bench/measure-nesting-check.ts).
 */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  if (Array.isArray(value)) {
    if (limit <= 0) return true;
    for (let index = 0; index < value.length; index += 1) {
      if (nestsDeeperThan(value[index], limit - 1)) return true;
    }
    return false;
  }
  if (isRecord(value)) {
    if (limit <= 0) return true;
    // JSON.parse makes plain objects with own properties only: `for…in` sees exactly those.
    for (const key in value) if (nestsDeeperThan(value[key], limit - 1)) return true;
  }
  return false;
}
