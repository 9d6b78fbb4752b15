const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'x-goog-api-key',
  'api-key',
  'cookie',
]);
const DEFAULT_LIMIT = 200;

/** One request as the simulator received it, secrets masked. */
export interface LoggedRequest {
  method: string;
  /** Path and query; a `key=` query value is masked. */
  path: string;
  headers: Record<string, string>;
  /** Parsed JSON body; the raw text when it is not JSON; undefined when empty. */
  body: unknown;
}

/** A bounded log of received requests so tests can assert what the upstream saw. */
export interface RequestLog {
  /** Live and oldest first: it grows as requests arrive, dropping the oldest past the limit. */
  entries: readonly LoggedRequest[];
  record(entry: LoggedRequest): void;
  clear(): void;
}

/** Keeps the last four characters (enough to tell credentials apart) of secrets 12+ long. */
export function maskSecret(value: string): string {
  const scheme = /^(Bearer|Basic)\s+/i.exec(value)?.[0] ?? '';
  const secret = value.slice(scheme.length);
  return `${scheme}***${secret.length >= 12 ? secret.slice(-4) : ''}`;
}

export function maskHeaders(
  headers: Readonly<Record<string, string | string[] | undefined>>,
): Record<string, string> {
  const masked: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    masked[name] = SECRET_HEADERS.has(name.toLowerCase()) ? maskSecret(text) : text;
  }
  return masked;
}

export function maskPath(path: string): string {
  return path.replace(/([?&]key=)([^&]*)/gi, (_match, prefix: string, key: string) => {
    return prefix + maskSecret(key);
  });
}

export function createRequestLog(limit: number = DEFAULT_LIMIT): RequestLog {
  const entries: LoggedRequest[] = [];
  return {
    entries,
    record(entry) {
      entries.push(entry);
      if (entries.length > limit) entries.shift();
    },
    clear() {
      entries.length = 0;
    },
  };
}
