import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../errors/gateway-error.ts';
import { registerAdminAccountRoutes } from './admin-account-routes.ts';
import type { AdminApiDependencies, AdminRouteContext } from './admin-api-dependencies.ts';
import { registerAdminConsoleUserRoutes } from './admin-console-user-routes.ts';
import { registerAdminCreditRoutes } from './admin-credit-routes.ts';
import { registerAdminKeyRoutes } from './admin-key-routes.ts';
import { registerAdminLedgerRoutes } from './admin-ledger-routes.ts';
import { registerAdminUpstreamRoutes } from './admin-upstream-routes.ts';
import { registerAdminVoucherRoutes } from './admin-voucher-routes.ts';
import { createAdminTokenCheck, readAdminBearer } from './create-admin-token-check.ts';
import { registerAdminErrorHandlers } from './handle-admin-errors.ts';

export const ADMIN_API_PREFIX = '/admin/api';

const UNAUTHORIZED_MESSAGE =
  'The admin API needs the admin token: send `Authorization: Bearer <admin token>` (admin.token, or SHEPHERD_ADMIN_TOKEN). User API keys are not accepted here.';

/**
 * Registers the admin API under `/admin/api`. Every request, unknown paths included, must carry the
 * admin token before anything else happens (deny by default, test plan F5); bodies are parsed only
 * after that. Throws when `config.admin.token` is unset: call `assertSafeAdminToken` first and
 * register only when it returns true.
 */
export async function registerAdminApi(
  app: FastifyInstance,
  dependencies: AdminApiDependencies,
): Promise<void> {
  const token = dependencies.config.admin.token;
  if (token === undefined || token.trim() === '') {
    throw new Error('The admin API needs admin.token (SHEPHERD_ADMIN_TOKEN); it is not set.');
  }
  const isAdminToken = createAdminTokenCheck(token);
  const context: AdminRouteContext = {
    store: dependencies.store,
    pepper: dependencies.pepper,
    config: dependencies.config,
    currency: dependencies.config.billing.currency,
    now: dependencies.now ?? (() => new Date()),
    keysChanged: dependencies.onKeysChanged ?? (() => {}),
  };
  await app.register(
    async (admin) => {
      admin.addHook('onRequest', async (request) => {
        const refusal = dependencies.credentialThrottle?.refusal(request);
        if (refusal !== undefined) throw refusal;
        if (!isAdminToken(readAdminBearer(request.headers.authorization))) {
          dependencies.credentialThrottle?.recordFailure(request);
          throw new GatewayError('GW_ERR_INVALID_API_KEY', UNAUTHORIZED_MESSAGE);
        }
      });
      registerAdminErrorHandlers(admin, context.currency);
      registerAdminAccountRoutes(admin, context);
      registerAdminCreditRoutes(admin, context);
      registerAdminLedgerRoutes(admin, context);
      registerAdminKeyRoutes(admin, context);
      registerAdminVoucherRoutes(admin, context);
      registerAdminConsoleUserRoutes(admin, context);
      const { health } = dependencies;
      if (health !== undefined) {
        registerAdminUpstreamRoutes(admin, { health, monotonicMs: () => performance.now() });
      }
    },
    { prefix: ADMIN_API_PREFIX },
  );
}
