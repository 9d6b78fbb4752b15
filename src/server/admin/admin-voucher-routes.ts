import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import { encodeVoucherCsv } from '../../accounting/encode-voucher-csv.ts';
import {
  generateVoucherBatch,
  MAX_VOUCHER_BATCH_SIZE,
} from '../../accounting/generate-voucher-batch.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { AdminRouteContext } from './admin-api-dependencies.ts';
import { actorSchema, amountSchema, dateSchema, nameSchema } from './admin-schemas.ts';
import { encodeVoucher, encodeVoucherBatch } from './encode-admin-views.ts';
import { logAdminAction } from './log-admin-action.ts';
import { parseAdminInput, readIdParam } from './parse-admin-input.ts';

const createSchema = z.strictObject({
  name: nameSchema,
  amount: amountSchema,
  count: z.number().int().min(1).max(MAX_VOUCHER_BATCH_SIZE),
  expiresAt: dateSchema.optional(),
  actor: actorSchema.optional(),
});

const formatSchema = z.strictObject({ format: z.enum(['json', 'csv']).default('json') });

/** Voucher batches: generate (codes in the response, once), list, show with redemption state. */
export function registerAdminVoucherRoutes(admin: FastifyInstance, context: AdminRouteContext) {
  const { store, currency } = context;

  admin.post('/vouchers/batches', async (request, reply) => {
    const { format } = parseAdminInput(formatSchema, request.query, 'query');
    const body = parseAdminInput(createSchema, request.body, 'body');
    if (body.expiresAt !== undefined && body.expiresAt.getTime() <= context.now().getTime()) {
      throw new GatewayError('GW_ERR_INVALID_REQUEST', 'expiresAt is in the past.', {
        param: 'expiresAt',
      });
    }
    const actor = body.actor ?? 'admin-api';
    const { batch, codes } = await generateVoucherBatch({
      store,
      pepper: context.pepper,
      name: body.name,
      amountMicros: body.amount,
      count: body.count,
      createdBy: actor,
      ...(body.expiresAt === undefined ? {} : { expiresAt: body.expiresAt }),
    });
    logAdminAction(request, { action: 'vouchers.generate', actor, target: batch.id });
    void reply.code(201).header('cache-control', 'no-store');
    if (format === 'csv') {
      void reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="vouchers-${batch.id}.csv"`);
      return encodeVoucherCsv({ batch, codes, currency });
    }
    return {
      batch: encodeVoucherBatch(batch, currency),
      codes,
      notice: 'Copy the codes now: only their digests are stored and they cannot be shown again.',
    };
  });

  admin.get('/vouchers/batches', async () => ({
    data: (await store.listVoucherBatches()).map((batch) => encodeVoucherBatch(batch, currency)),
  }));

  admin.get('/vouchers/batches/:id', async (request) => {
    const id = readIdParam(request.params);
    const batch = (await store.listVoucherBatches()).find((candidate) => candidate.id === id);
    if (batch === undefined) {
      throw new GatewayError('GW_ERR_ROUTE_NOT_FOUND', `No voucher batch with id ${id}.`, {
        param: 'id',
      });
    }
    const now = context.now();
    return {
      batch: encodeVoucherBatch(batch, currency),
      vouchers: (await store.listVouchers(id)).map((voucher) => encodeVoucher(voucher, now)),
    };
  });
}
