import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The HMAC key for API-key digests. An explicit one (config or SHEPHERD_KEY_PEPPER) wins. Without it,
 * an embedded SQLite database gets one generated on first use and kept in a file beside it (mode
 * 0600), so a newcomer needs no setup; an in-memory database gets a throwaway one. PostgreSQL
 * deployments serve several instances and must set it explicitly.
 */
export function resolveKeyPepper(options: {
  configured: string | undefined;
  databaseUrl: string;
}): string {
  if (options.configured !== undefined) return options.configured;
  const sqlitePath = sqliteFilePath(options.databaseUrl);
  if (sqlitePath === 'memory') return randomBytes(32).toString('hex');
  if (sqlitePath === undefined) {
    throw new Error(
      'security.keyPepper (or SHEPHERD_KEY_PEPPER) must be set when the database is PostgreSQL: every gateway instance must hash API keys with the same secret.',
    );
  }
  const pepperPath = join(dirname(sqlitePath), 'key-pepper');
  try {
    return readFileSync(pepperPath, 'utf8').trim();
  } catch {
    const pepper = randomBytes(32).toString('hex');
    mkdirSync(dirname(pepperPath), { recursive: true });
    try {
      writeFileSync(pepperPath, `${pepper}\n`, { mode: 0o600, flag: 'wx' });
    } catch {
      // Another process created it first: use theirs so every key hashes alike.
      return readFileSync(pepperPath, 'utf8').trim();
    }
    return pepper;
  }
}

function sqliteFilePath(url: string): string | 'memory' | undefined {
  if (/^postgres(ql)?:\/\//.test(url)) return undefined;
  const path = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url;
  return path === ':memory:' || path === '' ? 'memory' : path;
}
