import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import { parseScaledDecimal } from '../../accounting/parse-scaled-decimal.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import { parseAdminInput } from '../admin/parse-admin-input.ts';
import type { RateLimiter } from '../create-rate-limiter.ts';
import type { ConsoleRouteContext } from './console-api-dependencies.ts';
import { deriveCsrfToken, hashSessionSecret, readSessionCookie } from './console-session-tokens.ts';
import { createConsoleUser } from './create-console-user.ts';
import { hashPassword, verifyPassword } from './hash-password.ts';
import { isConsoleUserLockedOut } from './is-console-user-locked-out.ts';
import { loadConsoleMe } from './load-console-me.ts';
import { startConsoleSession } from './start-console-session.ts';

const emailSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ error: 'an email address such as name@example.com' }))
  .transform((email) => email.toLowerCase());

/** Long enough for any passphrase, short enough that hashing it is never a denial of service. */
const passwordSchema = z.string().min(1).max(256);

const signupSchema = z.strictObject({
  email: emailSchema,
  password: passwordSchema,
  locale: z.enum(['ko', 'en']).default('en'),
});

const loginSchema = z.strictObject({ email: emailSchema, password: passwordSchema });

const INVALID_CREDENTIALS = 'The email or the password is wrong.';

/**
 * The routes open without a session: `GET /session` (who is signed in, if anyone), `POST /signup`
 * (creates the account, credits its signup bonus once, signs in) and `POST /login`. `limiters.login`
 * counts failed logins per email and address; `limiters.signup`, when set, counts accounts made
 * per address, as each comes with the signup bonus.
 */
export function registerConsoleAccessRoutes(
  consoleApi: FastifyInstance,
  context: ConsoleRouteContext,
  limiters: { login: RateLimiter; signup: RateLimiter | undefined },
) {
  const limiter = limiters.login;
  const { store, config } = context;
  // Hashed once, lazily: an unknown email costs one scrypt like a known one (no user enumeration
  // by timing).
  let dummyHash: Promise<string> | undefined;

  // A page load asks this first: a visitor without a session is a normal state, not an error
  // (a 401 here would be logged as a failed resource by every browser).
  consoleApi.get('/session', async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    const sessionId = readSessionCookie(request.headers.cookie);
    // Whether the sign-up form should be offered at all.
    const visitor = { signedIn: false, selfSignup: config.console.selfSignup };
    if (sessionId === undefined) return visitor;
    const found = await store.findConsoleSession(hashSessionSecret(sessionId), context.now());
    if (found === undefined || (await isConsoleUserLockedOut(store, found.user))) return visitor;
    return {
      signedIn: true,
      selfSignup: config.console.selfSignup,
      csrfToken: deriveCsrfToken(sessionId),
      expiresAt: found.session.expiresAt.toISOString(),
      user: await loadConsoleMe(context, found.user),
    };
  });

  consoleApi.post('/signup', async (request, reply) => {
    if (!config.console.selfSignup) {
      throw new GatewayError(
        'GW_ERR_CONSOLE_SIGNUP_DISABLED',
        'Self-signup is turned off on this gateway; ask its operator for an account.',
      );
    }
    const signupWait = limiters.signup?.retryAfterSeconds(request.ip) ?? 0;
    if (signupWait > 0) {
      throw new GatewayError(
        'GW_ERR_CONSOLE_SIGNUP_RATE_LIMITED',
        `Too many accounts were made from this address lately; try again in ${describeWait(signupWait)} or ask the gateway's operator for an account.`,
        { retryAfterSeconds: signupWait },
      );
    }
    const body = parseAdminInput(signupSchema, request.body, 'body');
    const user = await createConsoleUser({
      store,
      email: body.email,
      password: body.password,
      role: 'user',
      locale: body.locale,
      signupBonusMicros: parseScaledDecimal(config.billing.signupBonus),
    });
    limiters.signup?.record(request.ip);
    request.log.info({ console: { action: 'signup', user: user.id } }, 'console signup');
    const session = await startConsoleSession(reply, context, user);
    void reply.code(201);
    return {
      csrfToken: session.csrfToken,
      expiresAt: session.expiresAt.toISOString(),
      user: await loadConsoleMe(context, user),
    };
  });

  consoleApi.post('/login', async (request, reply) => {
    const body = parseAdminInput(loginSchema, request.body, 'body');
    const limitKey = `${body.email}|${request.ip}`;
    const retryAfterSeconds = limiter.retryAfterSeconds(limitKey);
    if (retryAfterSeconds > 0) {
      throw new GatewayError(
        'GW_ERR_CONSOLE_LOGIN_RATE_LIMITED',
        `Too many failed sign-ins for this email; try again in ${Math.ceil(retryAfterSeconds / 60)} minutes.`,
        { retryAfterSeconds },
      );
    }
    const user = await store.findConsoleUserByEmail(body.email);
    dummyHash ??= hashPassword('shepherd-console-dummy-password');
    const matches = await verifyPassword(body.password, user?.passwordHash ?? (await dummyHash));
    if (user === undefined || !matches) {
      limiter.record(limitKey);
      throw new GatewayError('GW_ERR_CONSOLE_INVALID_CREDENTIALS', INVALID_CREDENTIALS);
    }
    limiter.reset(limitKey);
    if (await isConsoleUserLockedOut(store, user)) {
      throw new GatewayError(
        'GW_ERR_CONSOLE_USER_DISABLED',
        'This account has been disabled by an operator.',
      );
    }
    const at = context.now();
    await store.recordConsoleLogin(user.id, at);
    // Sessions nobody presents again are deleted here rather than by a timer of their own.
    await store.deleteExpiredConsoleSessions(at);
    const session = await startConsoleSession(reply, context, user);
    return {
      csrfToken: session.csrfToken,
      expiresAt: session.expiresAt.toISOString(),
      user: await loadConsoleMe(context, { ...user, lastLoginAt: at }),
    };
  });
}

/** A wait in the unit a person reads it in: "40 seconds", "15 minutes", "3 hours". */
function describeWait(seconds: number): string {
  if (seconds < 120) return `${seconds} seconds`;
  if (seconds < 2 * 3600) return `${Math.ceil(seconds / 60)} minutes`;
  return `${Math.ceil(seconds / 3600)} hours`;
}
