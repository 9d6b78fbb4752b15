import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { GatewayMetrics } from '../../metrics/gateway-metrics.ts';
import { createAdminTokenCheck, readAdminBearer } from '../admin/create-admin-token-check.ts';
import type { CredentialThrottle } from '../create-credential-throttle.ts';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * `GET /metrics` on the main port, behind the admin token (usage by model and cost are business
 * data). Operators who scrape without a token use `metrics.port`, a separate loopback listener.
 */
export function registerMetricsRoute(
  app: FastifyInstance,
  options: { metrics: GatewayMetrics; adminToken: string; credentialThrottle?: CredentialThrottle },
): void {
  const isAdminToken = createAdminTokenCheck(options.adminToken);
  const throttle = options.credentialThrottle;
  app.get('/metrics', async (request, reply) => {
    const refusal = throttle?.refusal(request);
    if (refusal !== undefined) throw refusal;
    if (!isAdminToken(readAdminBearer(request.headers.authorization))) {
      throttle?.recordFailure(request);
      throw new GatewayError(
        'GW_ERR_INVALID_API_KEY',
        '/metrics needs the admin token (`Authorization: Bearer <admin token>`), or scrape the separate `metrics.port` listener.',
      );
    }
    void reply.type(PROMETHEUS_CONTENT_TYPE);
    return options.metrics.render();
  });
}
