import { isIP } from 'node:net';

export const MIN_ADMIN_TOKEN_LENGTH = 24;

/** Placeholders people leave in configs; compared after lowercasing and dropping punctuation. */
const WELL_KNOWN_TOKENS = new Set([
  'admin',
  'administrator',
  'admintoken',
  'changeme',
  'changethis',
  'default',
  'example',
  'letmein',
  'passw0rd',
  'password',
  'qwerty',
  'replaceme',
  'root',
  'secret',
  'shepherd',
  'test',
  'testing',
  'token',
  'yourtoken',
  'youradmintoken',
  '123456',
  '12345678',
  '1234567890',
]);

/**
 * Checks `admin.token` against where the gateway listens, before it listens (test plan F6). On a
 * loopback address anything goes (a developer's machine); beyond it the token must be present, at
 * least 24 characters, and not a placeholder or a repeated pattern, else this throws an `Error`
 * that says how to fix it. Returns whether the admin API is enabled (a non-empty token is set).
 */
export function assertSafeAdminToken(options: {
  token: string | undefined;
  host: string;
}): boolean {
  const token = options.token ?? '';
  const enabled = token.trim() !== '';
  if (isLoopbackHost(options.host)) return enabled;
  const problem = weakness(token);
  if (problem === undefined) return enabled;
  throw new Error(
    `Refusing to listen on ${options.host} (beyond loopback) because the admin token ${problem}. Set SHEPHERD_ADMIN_TOKEN (or admin.token) to a long random value, e.g. the output of \`openssl rand -hex 32\`, or listen on 127.0.0.1.`,
  );
}

/** 127.0.0.0/8, ::1 (also IPv4-mapped and bracketed) and `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const bare = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  const v4 = bare.startsWith('::ffff:') ? bare.slice('::ffff:'.length) : bare;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  if (isIP(bare) === 6) return /^(0{0,4}:){7}0{0,3}1$|^::1$/.test(bare);
  return false;
}

function weakness(token: string): string | undefined {
  if (token.trim() === '') return 'is not set';
  if (token.length < MIN_ADMIN_TOKEN_LENGTH) {
    return `is shorter than ${MIN_ADMIN_TOKEN_LENGTH} characters`;
  }
  const letters = token.toLowerCase().replace(/[^a-z0-9]/g, '');
  for (const known of WELL_KNOWN_TOKENS) {
    if (letters === known || isRepetitionOf(letters, known)) return 'is a well-known default';
  }
  if (/^(.{1,8})\1+$/.test(token)) return 'is a short pattern repeated';
  if (new Set(token).size < 8) return 'uses fewer than 8 distinct characters';
  return undefined;
}

function isRepetitionOf(text: string, unit: string): boolean {
  return text.length % unit.length === 0 && unit.repeat(text.length / unit.length) === text;
}
