import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AdminRouteContext } from './admin-api-dependencies.ts';
import { encodeBalance, encodeLedgerEntry } from './encode-admin-views.ts';
import { parseAdminInput, readIdParam } from './parse-admin-input.ts';
import { requireAdminAccount } from './require-admin-account.ts';

const ledgerQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
});

/** An account's ledger entries (newest first) and the whole ledger's invariant check. */
export function registerAdminLedgerRoutes(admin: FastifyInstance, context: AdminRouteContext) {
  const { store, currency } = context;

  admin.get('/accounts/:id/ledger', async (request) => {
    const id = readIdParam(request.params);
    const query = parseAdminInput(ledgerQuerySchema, request.query, 'query');
    const account = await requireAdminAccount(store, id);
    const entries = await store.listLedgerEntries({ accountId: account.id, limit: query.limit });
    return {
      accountId: account.id,
      balance: encodeBalance(await store.getBalance(account.id), currency),
      entries: entries.map(encodeLedgerEntry),
    };
  });

  admin.get('/ledger/check', async () => {
    const checkedAt = context.now();
    const violations = await store.checkLedger(checkedAt);
    return { ok: violations.length === 0, checkedAt: checkedAt.toISOString(), violations };
  });
}
