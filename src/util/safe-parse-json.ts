/** Result of parsing untrusted JSON text: never throws. */
export type JsonParseResult = { ok: true; value: unknown } | { ok: false; error: string };

/** The only place `JSON.parse` is called on untrusted text. */
export function safeParseJson(text: string): JsonParseResult {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
