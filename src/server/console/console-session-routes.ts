import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import { parseAdminInput } from '../admin/parse-admin-input.ts';
import { readConsoleAuth } from './authenticate-console-session.ts';
import type { ConsoleRouteContext } from './console-api-dependencies.ts';
import { deriveCsrfToken, sessionCookieHeader } from './console-session-tokens.ts';
import { loadConsoleMe } from './load-console-me.ts';

const preferencesSchema = z.strictObject({ locale: z.enum(['ko', 'en']) });

/**
 * `GET /me` (the user, balance, signup bonus, and the session's CSRF token for a reloaded page),
 * `PATCH /me` (the console language) and `POST /logout`. Registered inside the signed-in scope.
 */
export function registerConsoleSessionRoutes(scope: FastifyInstance, context: ConsoleRouteContext) {
  scope.get('/me', async (request, reply) => {
    const auth = readConsoleAuth(request);
    void reply.header('cache-control', 'no-store');
    return {
      csrfToken: deriveCsrfToken(auth.sessionId),
      expiresAt: auth.session.expiresAt.toISOString(),
      user: await loadConsoleMe(context, auth.user),
    };
  });

  scope.patch('/me', async (request) => {
    const auth = readConsoleAuth(request);
    const body = parseAdminInput(preferencesSchema, request.body, 'body');
    await context.store.setConsoleUserLocale(auth.user.id, body.locale);
    return { user: await loadConsoleMe(context, { ...auth.user, locale: body.locale }) };
  });

  scope.post('/logout', async (request, reply) => {
    parseAdminInput(z.strictObject({}).optional(), request.body, 'body');
    const auth = readConsoleAuth(request);
    await context.store.deleteConsoleSession(auth.session.idHash);
    void reply.header(
      'set-cookie',
      sessionCookieHeader({
        sessionId: '',
        maxAgeSeconds: 0,
        secure: context.config.console.secureCookie,
      }),
    );
    return { loggedOut: true };
  });
}
