import type { FastifyError, FastifyInstance } from 'fastify';
import { GatewayError } from '../../errors/gateway-error.ts';
import { encodeOpenaiError } from '../../surfaces/openai/encode-openai-error.ts';
import { toAdminError } from '../admin/handle-admin-errors.ts';
import { createRateLimiter } from '../create-rate-limiter.ts';
import { registerJsonBodyParser } from '../parse-json-body.ts';
import { createConsoleSessionHook, requireConsoleAdmin } from './authenticate-console-session.ts';
import { registerConsoleAccessRoutes } from './console-access-routes.ts';
import { registerConsoleAdminAccountRoutes } from './console-admin-account-routes.ts';
import { registerConsoleAdminUsageRoutes } from './console-admin-usage-routes.ts';
import { registerConsoleAdminVoucherRoutes } from './console-admin-voucher-routes.ts';
import type { ConsoleApiDependencies, ConsoleRouteContext } from './console-api-dependencies.ts';
import { registerConsoleCreditRoutes } from './console-credit-routes.ts';
import { registerConsoleKeyRoutes } from './console-key-routes.ts';
import { registerConsoleModelRoutes } from './console-model-routes.ts';
import { registerConsoleSessionRoutes } from './console-session-routes.ts';
import { registerConsoleUsageRoutes } from './console-usage-routes.ts';
import { requireJsonContentType } from './require-json-content-type.ts';

export const CONSOLE_API_PREFIX = '/console/api';

/**
 * Bytes a console request body may have. The largest real one, a key's model allow-list (500 ids
 * of up to 200 characters), is about 100 KiB; the gateway-wide limit (20 MiB, for images in chat
 * requests) would let anyone have megabytes read and parsed at /login and /signup.
 */
export const CONSOLE_BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * Registers the web console's JSON API under `/console/api`: bodies must be sent as JSON (no
 * cross-site form can post one); signup and login are open; every other route needs a session
 * cookie (and, when it changes something, the CSRF header); routes under `/admin` need the admin
 * role as well. Errors leave in the OpenAI shape with stable codes.
 */
export async function registerConsoleApi(
  app: FastifyInstance,
  dependencies: ConsoleApiDependencies,
): Promise<void> {
  const context: ConsoleRouteContext = {
    store: dependencies.store,
    pepper: dependencies.pepper,
    config: dependencies.config,
    currency: dependencies.config.billing.currency,
    now: dependencies.now ?? (() => new Date()),
    keysChanged: dependencies.onKeysChanged ?? (() => {}),
  };
  const limiter =
    dependencies.loginRateLimiter ??
    createRateLimiter({
      maxEvents: 5,
      windowMs: 15 * 60_000,
      maxKeys: 100_000,
      nowMs: () => performance.now(),
    });
  const { signupLimit } = dependencies.config.console;
  const signupLimiter =
    dependencies.signupRateLimiter ??
    (signupLimit.maxPerAddress === 0
      ? undefined
      : createRateLimiter({
          maxEvents: signupLimit.maxPerAddress,
          windowMs: signupLimit.windowSeconds * 1000,
          maxKeys: 100_000,
          nowMs: () => performance.now(),
        }));
  await app.register(
    async (consoleApi) => {
      consoleApi.setErrorHandler((error: FastifyError | Error, request, reply) => {
        const gatewayError = toAdminError(error, context.currency);
        if (gatewayError.status >= 500) {
          request.log.error({ err: error, code: gatewayError.code }, 'console request failed');
        } else {
          request.log.info({ code: gatewayError.code, status: gatewayError.status }, 'refused');
        }
        const encoded = encodeOpenaiError(gatewayError);
        void reply.code(encoded.status).headers(encoded.headers).send(encoded.body);
      });
      consoleApi.setNotFoundHandler((request, reply) => {
        const encoded = encodeOpenaiError(
          new GatewayError(
            'GW_ERR_ROUTE_NOT_FOUND',
            `No console route for ${request.method} ${request.url.split('?')[0]}.`,
          ),
        );
        void reply.code(encoded.status).send(encoded.body);
      });
      consoleApi.addHook('onRequest', requireJsonContentType);
      registerJsonBodyParser(consoleApi, CONSOLE_BODY_LIMIT_BYTES);
      registerConsoleAccessRoutes(consoleApi, context, { login: limiter, signup: signupLimiter });
      await consoleApi.register(async (signedIn) => {
        signedIn.addHook('onRequest', createConsoleSessionHook(context));
        registerConsoleSessionRoutes(signedIn, context);
        registerConsoleKeyRoutes(signedIn, context);
        registerConsoleCreditRoutes(signedIn, context);
        registerConsoleUsageRoutes(signedIn, context);
        registerConsoleModelRoutes(signedIn, context);
        await signedIn.register(
          async (admin) => {
            admin.addHook('onRequest', requireConsoleAdmin);
            registerConsoleAdminAccountRoutes(admin, context);
            registerConsoleAdminVoucherRoutes(admin, context);
            registerConsoleAdminUsageRoutes(admin, context, dependencies.health);
          },
          { prefix: '/admin' },
        );
      });
    },
    { prefix: CONSOLE_API_PREFIX },
  );
}
