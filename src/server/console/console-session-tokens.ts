import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'shepherd_console';

/** A new session id: 32 random bytes, base64url (43 characters). */
export function generateSessionId(): string {
  return randomBytes(32).toString('base64url');
}

/** What the store keeps instead of a session id or a CSRF token. */
export function hashSessionSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * The session's CSRF token, derived from its id: the console can fetch it again after a reload
 * (`GET /me`, same origin only) although only its hash is stored, and no other session's token
 * matches. The id never leaves the HttpOnly cookie, so script on another origin cannot derive it.
 */
export function deriveCsrfToken(sessionId: string): string {
  return createHmac('sha256', sessionId)
    .update('shepherd-console-csrf', 'utf8')
    .digest('base64url');
}

/** Constant-time check of a presented CSRF token against the stored hash. */
export function csrfTokenMatches(presented: string | undefined, storedHash: string): boolean {
  if (presented === undefined || !/^[0-9a-f]{64}$/.test(storedHash)) return false;
  return timingSafeEqual(
    Buffer.from(hashSessionSecret(presented), 'hex'),
    Buffer.from(storedHash, 'hex'),
  );
}

/** The session cookie's value from a `Cookie` header, if well-formed. */
export function readSessionCookie(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator < 0) continue;
    if (part.slice(0, separator).trim() !== SESSION_COOKIE) continue;
    const value = part.slice(separator + 1).trim();
    return /^[\w-]{43}$/.test(value) ? value : undefined;
  }
  return undefined;
}

/** `Set-Cookie` for a session (maxAgeSeconds > 0) or for clearing it (0). */
export function sessionCookieHeader(options: {
  sessionId: string;
  maxAgeSeconds: number;
  secure: boolean;
}): string {
  return [
    `${SESSION_COOKIE}=${options.sessionId}`,
    'Path=/console',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${options.maxAgeSeconds}`,
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}
