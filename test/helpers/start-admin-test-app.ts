import Fastify, { type FastifyInstance } from 'fastify';
import { createApiKeyAuthenticator } from '../../src/accounting/api-key-authenticator.ts';
import type { GatewayConfig } from '../../src/config/config-schema.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { registerAdminApi } from '../../src/server/admin/register-admin-api.ts';
import { createAuthenticationHook } from '../../src/server/authenticate-request.ts';
import { registerErrorHandlers } from '../../src/server/handle-errors.ts';
import { registerJsonBodyParser } from '../../src/server/parse-json-body.ts';
import { registerRedeemVoucherRoute } from '../../src/server/routes/redeem-voucher-route.ts';
import type { Store } from '../../src/storage/store.ts';

export const ADMIN_TEST_TOKEN = 'admin-test-token-7f3a9c1e5b2d8046';
export const ADMIN_TEST_PEPPER = 'admin-test-pepper-0123456789abcdef';

export interface AdminTestApp {
  app: FastifyInstance;
  config: GatewayConfig;
  /** Every admin route the plugin registered, as `METHOD /admin/api/...`. */
  routes: Array<{ method: string; url: string }>;
  /** How many times the admin API asked for cached keys to be forgotten. */
  keyInvalidations(): number;
  /** Moves the clock the admin API and the redeem route see. */
  setNow(date: Date): void;
}

/**
 * The admin API and `POST /v1/vouchers/redeem` on a bare Fastify app, wired as the gateway wires
 * them (JSON body parser, OpenAI error handlers, /v1 authentication hook), over the caller's store.
 */
export async function startAdminTestApp(options: {
  store: Store;
  pepper?: string;
  configure?: (config: GatewayConfig) => void;
}): Promise<AdminTestApp> {
  const { config } = loadConfig({ env: {}, overrides: { adminToken: ADMIN_TEST_TOKEN } });
  options.configure?.(config);
  const pepper = options.pepper ?? ADMIN_TEST_PEPPER;
  let now = new Date();
  let invalidations = 0;
  const routes: Array<{ method: string; url: string }> = [];
  const app = Fastify({ logger: false });
  app.decorateRequest('identity', undefined);
  app.decorateRequest('acceptedAt', 0);
  registerJsonBodyParser(app, config.server.bodyLimitBytes);
  registerErrorHandlers(app);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/admin/api')) return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) routes.push({ method, url: route.url });
  });
  await registerAdminApi(app, {
    store: options.store,
    pepper,
    config,
    now: () => now,
    onKeysChanged: () => {
      invalidations += 1;
    },
  });
  const authenticator = createApiKeyAuthenticator({ store: options.store, pepper, cacheTtlMs: 0 });
  await app.register(
    async (v1) => {
      v1.addHook('onRequest', createAuthenticationHook(authenticator));
      registerRedeemVoucherRoute(v1, {
        store: options.store,
        pepper,
        now: () => now,
        currency: config.billing.currency,
      });
    },
    { prefix: '/v1' },
  );
  await app.ready();
  return {
    app,
    config,
    routes,
    keyInvalidations: () => invalidations,
    setNow(date) {
      now = date;
    },
  };
}
