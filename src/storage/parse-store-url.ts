export type StoreLocation =
  | { engine: 'sqlite'; filename: string }
  | { engine: 'postgres'; connectionString: string };

/**
 * Reads a store URL: `sqlite:<path>`, `sqlite::memory:`, a bare file path, or
 * `postgres://` / `postgresql://`. `sqlite://<path>` is accepted too (`sqlite:///abs/path`).
 */
export function parseStoreUrl(url: string): StoreLocation {
  const trimmed = url.trim();
  if (trimmed === '') throw new Error('The store URL is empty.');
  if (/^postgres(ql)?:\/\//i.test(trimmed)) {
    return { engine: 'postgres', connectionString: trimmed };
  }
  if (/^sqlite:/i.test(trimmed)) {
    const rest = trimmed.slice('sqlite:'.length);
    const filename = rest.startsWith('//') ? rest.slice(2) : rest;
    if (filename === '') throw new Error('The sqlite store URL names no file.');
    return { engine: 'sqlite', filename };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    throw new Error('Unsupported store URL scheme; use sqlite:<path> or postgres://.');
  }
  return { engine: 'sqlite', filename: trimmed };
}
