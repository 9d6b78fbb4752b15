import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Builds the admin token comparison (test plan F2): both sides are hashed first, so the compared
 * buffers always have equal length and neither the token's length nor its content leaks through
 * timing; `timingSafeEqual` does the compare.
 */
export function createAdminTokenCheck(token: string): (candidate: string | undefined) => boolean {
  if (token.trim() === '') throw new Error('The admin token must not be empty.');
  const expected = digest(token);
  return (candidate) => candidate !== undefined && timingSafeEqual(digest(candidate), expected);
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** The token of `Authorization: Bearer <token>`; the admin API takes no other header. */
export function readAdminBearer(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  return /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
}
