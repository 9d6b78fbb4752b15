import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import { type AccountCreditKind, creditAccount } from '../../accounting/credit-account.ts';
import { microsToDecimalText } from '../../accounting/micros-to-decimal-text.ts';
import type { CreditResult } from '../../storage/ledger-store.ts';
import type { AdminRouteContext } from './admin-api-dependencies.ts';
import {
  actorSchema,
  amountSchema,
  reasonSchema,
  referenceSchema,
  signedAmountSchema,
} from './admin-schemas.ts';
import { encodeBalance } from './encode-admin-views.ts';
import { parseAdminInput, readIdParam } from './parse-admin-input.ts';
import { requireAdminAccount } from './require-admin-account.ts';

const topUpSchema = z.strictObject({
  amount: amountSchema,
  reference: referenceSchema,
  actor: actorSchema.optional(),
  reason: reasonSchema.optional(),
});

const adjustmentSchema = z.strictObject({
  amount: signedAmountSchema,
  reason: reasonSchema,
  actor: actorSchema.optional(),
  reference: referenceSchema.optional(),
});

const refundSchema = z.strictObject({
  amount: amountSchema,
  reference: referenceSchema,
  reason: reasonSchema,
  actor: actorSchema.optional(),
});

interface CreditBody {
  amount: bigint;
  reference?: string | undefined;
  actor?: string | undefined;
  reason?: string | undefined;
}

/**
 * Money in by hand: top-ups (idempotent on the payment's reference), signed adjustments with a
 * reason, refunds. A replayed reference answers 200 `duplicate: true` without posting again; the
 * same reference with another amount or account is 409 (ledger.md I8, test plan D7, D8, D10).
 */
export function registerAdminCreditRoutes(admin: FastifyInstance, context: AdminRouteContext) {
  const { store, currency } = context;
  const routes: Array<[string, AccountCreditKind, z.ZodType<CreditBody>]> = [
    ['top-ups', 'top_up', topUpSchema],
    ['adjustments', 'adjustment', adjustmentSchema],
    ['refunds', 'refund', refundSchema],
  ];
  for (const [path, kind, schema] of routes) {
    admin.post(`/accounts/:id/${path}`, async (request, reply) => {
      const id = readIdParam(request.params);
      const body = parseAdminInput(schema, request.body, 'body');
      const account = await requireAdminAccount(store, id);
      const result: CreditResult = await creditAccount({
        store,
        kind,
        accountId: account.id,
        amountMicros: body.amount,
        actor: body.actor ?? 'admin-api',
        ...(body.reference === undefined ? {} : { reference: body.reference }),
        ...(body.reason === undefined ? {} : { reason: body.reason }),
      });
      void reply.code(result.status === 'duplicate' ? 200 : 201);
      return {
        transactionId: result.transactionId,
        duplicate: result.status === 'duplicate',
        kind,
        accountId: account.id,
        amount: microsToDecimalText(body.amount),
        amountMicros: body.amount.toString(),
        balance: encodeBalance(result.balance, currency),
      };
    });
  }
}
