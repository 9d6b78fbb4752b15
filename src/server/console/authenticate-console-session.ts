import type { FastifyRequest } from 'fastify';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { ConsoleSession, ConsoleUser } from '../../storage/console-store.ts';
import type { ConsoleRouteContext } from './console-api-dependencies.ts';
import {
  csrfTokenMatches,
  hashSessionSecret,
  readSessionCookie,
} from './console-session-tokens.ts';
import { isConsoleUserLockedOut } from './is-console-user-locked-out.ts';

export interface ConsoleAuth {
  /** The cookie's session id (never stored; the CSRF token derives from it). */
  sessionId: string;
  session: ConsoleSession;
  user: ConsoleUser;
}

const authByRequest = new WeakMap<FastifyRequest, ConsoleAuth>();

const MUTATING_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The signed-in scope's `onRequest` hook, before routing reaches a handler or a body is parsed: a
 * valid, unexpired session of an enabled user (401 / 403 otherwise), and on every mutating method
 * the session's CSRF token in `x-csrf-token` (403). SameSite=Strict already keeps the cookie off
 * cross-site requests; the token is the second lock (test plan F7).
 */
export function createConsoleSessionHook(context: Pick<ConsoleRouteContext, 'store' | 'now'>) {
  return async (request: FastifyRequest): Promise<void> => {
    const sessionId = readSessionCookie(request.headers.cookie);
    if (sessionId === undefined) {
      throw new GatewayError(
        'GW_ERR_CONSOLE_NOT_AUTHENTICATED',
        'Sign in first: this console request carries no session cookie.',
      );
    }
    const found = await context.store.findConsoleSession(
      hashSessionSecret(sessionId),
      context.now(),
    );
    if (found === undefined) {
      throw new GatewayError(
        'GW_ERR_CONSOLE_NOT_AUTHENTICATED',
        'Your console session has expired or was signed out; sign in again.',
      );
    }
    if (await isConsoleUserLockedOut(context.store, found.user)) {
      throw new GatewayError(
        'GW_ERR_CONSOLE_USER_DISABLED',
        'This account has been disabled by an operator.',
      );
    }
    if (MUTATING_METHODS.has(request.method)) {
      const header = request.headers['x-csrf-token'];
      const presented = typeof header === 'string' ? header : undefined;
      if (!csrfTokenMatches(presented, found.session.csrfTokenHash)) {
        throw new GatewayError(
          'GW_ERR_CONSOLE_CSRF_INVALID',
          'Send the x-csrf-token header with the token from login or GET /console/api/me.',
        );
      }
    }
    authByRequest.set(request, { sessionId, ...found });
  };
}

/** The signed-in user of a request the session hook let through. */
export function readConsoleAuth(request: FastifyRequest): ConsoleAuth {
  const auth = authByRequest.get(request);
  if (auth === undefined) {
    // Only routes registered inside the signed-in scope call this.
    throw new GatewayError('GW_ERR_CONSOLE_NOT_AUTHENTICATED', 'Sign in first.');
  }
  return auth;
}

/** The admin scope's `onRequest` hook, after the session hook. */
export async function requireConsoleAdmin(request: FastifyRequest): Promise<void> {
  if (readConsoleAuth(request).user.role !== 'admin') {
    throw new GatewayError(
      'GW_ERR_CONSOLE_ADMIN_REQUIRED',
      'This needs the console admin role, which an operator grants.',
    );
  }
}
