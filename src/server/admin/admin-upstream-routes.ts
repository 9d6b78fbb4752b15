import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { DeploymentHealth } from '../../routing/deployment-health.ts';

/**
 * `GET /admin/api/upstreams`: every deployment's circuit state. `POST
 * /admin/api/upstreams/reset` with `{ "id": "<provider>/<upstream model>" }`: an operator puts a
 * deployment back in service (after fixing its key, say). Ids contain slashes, so they travel in
 * the body rather than the path.
 */
export function registerAdminUpstreamRoutes(
  admin: FastifyInstance,
  options: { health: DeploymentHealth; monotonicMs: () => number },
): void {
  const { health, monotonicMs } = options;
  admin.get('/upstreams', async () => ({
    object: 'list',
    data: health.snapshot(monotonicMs()),
  }));
  admin.post('/upstreams/reset', async (request) => {
    const body = request.body;
    const id =
      typeof body === 'object' && body !== null && 'id' in body && typeof body.id === 'string'
        ? body.id
        : undefined;
    if (id === undefined) {
      throw new GatewayError(
        'GW_ERR_INVALID_REQUEST',
        'Send `{"id": "<provider>/<upstream model>"}` naming the deployment to reset.',
        { param: 'id' },
      );
    }
    if (!health.reset(id, monotonicMs())) {
      throw new GatewayError(
        'GW_ERR_ROUTE_NOT_FOUND',
        `No deployment \`${id.slice(0, 200)}\`. GET /admin/api/upstreams lists them.`,
        { param: 'id' },
      );
    }
    const view = health.snapshot(monotonicMs()).find((entry) => entry.id === id);
    return { object: 'upstream', ...view };
  });
}
