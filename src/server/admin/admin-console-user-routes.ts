import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { AdminRouteContext } from './admin-api-dependencies.ts';
import { actorSchema } from './admin-schemas.ts';
import { logAdminAction } from './log-admin-action.ts';
import { parseAdminInput } from './parse-admin-input.ts';

const bodySchema = z.strictObject({
  email: z.string().trim().min(3).max(254),
  actor: actorSchema.optional(),
});

/**
 * `POST /console-users/promote` and `/demote` `{ "email": … }`: the operator grants or takes back
 * the web console's admin role. Nobody becomes an admin by signing up, not even the first user.
 */
export function registerAdminConsoleUserRoutes(admin: FastifyInstance, context: AdminRouteContext) {
  for (const [action, role] of [
    ['promote', 'admin'],
    ['demote', 'user'],
  ] as const) {
    admin.post(`/console-users/${action}`, async (request) => {
      const body = parseAdminInput(bodySchema, request.body, 'body');
      if (!(await context.store.setConsoleUserRole(body.email, role))) {
        throw new GatewayError(
          'GW_ERR_ROUTE_NOT_FOUND',
          `No console user has the email ${body.email}.`,
          { param: 'email' },
        );
      }
      const user = await context.store.findConsoleUserByEmail(body.email);
      if (user === undefined) throw new Error('A console user vanished while its role changed.');
      logAdminAction(request, {
        action: `console-user.${action}`,
        actor: body.actor ?? 'admin-api',
        target: user.id,
      });
      return { id: user.id, email: user.email, accountId: user.accountId, role: user.role };
    });
  }
}
