import type { FastifyReply } from 'fastify';
import type { ConsoleUser } from '../../storage/console-store.ts';
import type { ConsoleRouteContext } from './console-api-dependencies.ts';
import {
  deriveCsrfToken,
  generateSessionId,
  hashSessionSecret,
  sessionCookieHeader,
} from './console-session-tokens.ts';

const DAY_MS = 86_400_000;

/**
 * Stores a new session for the user (hashed id and CSRF token), sets its cookie on the reply and
 * returns the CSRF token for the body. The lifetime is fixed from now (`console.sessionDays`).
 */
export async function startConsoleSession(
  reply: FastifyReply,
  context: Pick<ConsoleRouteContext, 'store' | 'config' | 'now'>,
  user: ConsoleUser,
): Promise<{ csrfToken: string; expiresAt: Date }> {
  const sessionId = generateSessionId();
  const csrfToken = deriveCsrfToken(sessionId);
  const createdAt = context.now();
  const lifetimeMs = context.config.console.sessionDays * DAY_MS;
  const expiresAt = new Date(createdAt.getTime() + lifetimeMs);
  await context.store.createConsoleSession({
    idHash: hashSessionSecret(sessionId),
    userId: user.id,
    csrfTokenHash: hashSessionSecret(csrfToken),
    createdAt,
    expiresAt,
  });
  void reply.header(
    'set-cookie',
    sessionCookieHeader({
      sessionId,
      maxAgeSeconds: lifetimeMs / 1000,
      secure: context.config.console.secureCookie,
    }),
  );
  void reply.header('cache-control', 'no-store');
  return { csrfToken, expiresAt };
}
