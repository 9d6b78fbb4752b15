import type { FastifyRequest } from 'fastify';

/**
 * One log line per admin change, with who made it: the ledger records actors on money movements,
 * and this covers the rest (accounts, keys, policies, batches).
 */
export function logAdminAction(
  request: FastifyRequest,
  action: { action: string; actor: string; target: string },
): void {
  request.log.info({ admin: action }, 'admin action');
}
