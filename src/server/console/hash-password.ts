import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * scrypt cost: N = 2^14, r = 8, p = 1 (16 MiB, tens of milliseconds) — OWASP's minimum for scrypt.
 * The parameters are stored with each hash, so raising them later leaves old hashes verifiable.
 */
const DEFAULT_PARAMETERS = { cost: 16_384, blockSize: 8, parallelization: 1 } as const;
const KEY_LENGTH = 32;
const SALT_BYTES = 16;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) => {
      if (error === null) resolve(key);
      else reject(error);
    });
  });
}

/** `scrypt$N$r$p$<salt>$<hash>` (base64url) with a fresh 16-byte salt. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const { cost, blockSize, parallelization } = DEFAULT_PARAMETERS;
  const key = await derive(password, salt, {
    cost,
    blockSize,
    parallelization,
    maxmem: 64 * 1024 * 1024,
  });
  return [
    'scrypt',
    cost,
    blockSize,
    parallelization,
    salt.toString('base64url'),
    key.toString('base64url'),
  ].join('$');
}

const STORED_PATTERN = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([\w-]+)\$([\w-]+)$/;

/**
 * Whether the password matches the stored hash, compared in constant time. A stored value in
 * another format, or with parameters beyond sane bounds, never matches (and costs nothing).
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = STORED_PATTERN.exec(stored);
  if (match === null) return false;
  const [cost, blockSize, parallelization] = [match[1], match[2], match[3]].map(Number);
  if (
    cost === undefined ||
    blockSize === undefined ||
    parallelization === undefined ||
    cost > 1_048_576 ||
    blockSize > 32 ||
    parallelization > 16
  ) {
    return false;
  }
  const salt = Buffer.from(match[4] ?? '', 'base64url');
  const expected = Buffer.from(match[5] ?? '', 'base64url');
  if (expected.length !== KEY_LENGTH) return false;
  const key = await derive(password, salt, {
    cost,
    blockSize,
    parallelization,
    maxmem: 256 * 1024 * 1024,
  });
  return timingSafeEqual(key, expected);
}
