import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  csrfTokenMatches,
  deriveCsrfToken,
  generateSessionId,
  hashSessionSecret,
  readSessionCookie,
  sessionCookieHeader,
} from './console-session-tokens.ts';

test('a session id is 32 random bytes; its CSRF token is its own and matches only its hash', () => {
  const first = generateSessionId();
  const second = generateSessionId();
  assert.match(first, /^[\w-]{43}$/);
  assert.notEqual(first, second);
  const token = deriveCsrfToken(first);
  assert.equal(deriveCsrfToken(first), token);
  assert.notEqual(deriveCsrfToken(second), token);
  const stored = hashSessionSecret(token);
  assert.equal(csrfTokenMatches(token, stored), true);
  assert.equal(csrfTokenMatches(deriveCsrfToken(second), stored), false);
  assert.equal(csrfTokenMatches(undefined, stored), false);
  assert.equal(csrfTokenMatches('', stored), false);
  assert.equal(csrfTokenMatches(token, 'not-a-hash'), false);
});

test('the cookie is read among others and only when well-formed', () => {
  const id = generateSessionId();
  assert.equal(readSessionCookie(`a=1; shepherd_console=${id}; b=2`), id);
  assert.equal(readSessionCookie(`shepherd_console=${id}`), id);
  assert.equal(readSessionCookie('shepherd_console=short'), undefined);
  assert.equal(readSessionCookie(`other=${id}`), undefined);
  assert.equal(readSessionCookie(undefined), undefined);
});

test('the cookie is HttpOnly, SameSite=Strict, scoped to /console, Secure when asked', () => {
  assert.equal(
    sessionCookieHeader({ sessionId: 'abc', maxAgeSeconds: 604800, secure: false }),
    'shepherd_console=abc; Path=/console; HttpOnly; SameSite=Strict; Max-Age=604800',
  );
  assert.match(
    sessionCookieHeader({ sessionId: '', maxAgeSeconds: 0, secure: true }),
    /Max-Age=0; Secure$/,
  );
});
