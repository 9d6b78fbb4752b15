import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import { encodeVoucherCsv } from '../../accounting/encode-voucher-csv.ts';
import {
  generateVoucherBatch,
  MAX_VOUCHER_BATCH_SIZE,
} from '../../accounting/generate-voucher-batch.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import { amountSchema, dateSchema, nameSchema } from '../admin/admin-schemas.ts';
import { encodeVoucher, encodeVoucherBatch } from '../admin/encode-admin-views.ts';
import { parseAdminInput, readIdParam } from '../admin/parse-admin-input.ts';
import { readConsoleAuth } from './authenticate-console-session.ts';
import type { ConsoleRouteContext } from './console-api-dependencies.ts';
import { encodeRedemptionsCsv } from './encode-redemptions-csv.ts';

const createSchema = z.strictObject({
  name: nameSchema,
  amount: amountSchema,
  count: z.number().int().min(1).max(MAX_VOUCHER_BATCH_SIZE),
  expiresAt: dateSchema.optional(),
});

const formatSchema = z.strictObject({ format: z.enum(['json', 'csv']).default('json') });

/**
 * Console admins: generate a voucher batch (the codes in this response only, JSON or CSV), list
 * batches, and one batch's vouchers with their redemption state (JSON or CSV export).
 */
export function registerConsoleAdminVoucherRoutes(
  admin: FastifyInstance,
  context: ConsoleRouteContext,
) {
  const { store, currency } = context;

  admin.post('/vouchers/batches', async (request, reply) => {
    const { user } = readConsoleAuth(request);
    const { format } = parseAdminInput(formatSchema, request.query, 'query');
    const body = parseAdminInput(createSchema, request.body, 'body');
    if (body.expiresAt !== undefined && body.expiresAt.getTime() <= context.now().getTime()) {
      throw new GatewayError('GW_ERR_INVALID_REQUEST', 'expiresAt is in the past.', {
        param: 'expiresAt',
      });
    }
    const { batch, codes } = await generateVoucherBatch({
      store,
      pepper: context.pepper,
      name: body.name,
      amountMicros: body.amount,
      count: body.count,
      createdBy: `console:${user.email}`,
      ...(body.expiresAt === undefined ? {} : { expiresAt: body.expiresAt }),
    });
    request.log.info(
      { console: { action: 'vouchers.generate', actor: user.email, target: batch.id } },
      'console admin action',
    );
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

  admin.get('/vouchers/batches/:id', async (request, reply) => {
    const id = readIdParam(request.params);
    const { format } = parseAdminInput(formatSchema, request.query, 'query');
    const batch = (await store.listVoucherBatches()).find((candidate) => candidate.id === id);
    if (batch === undefined) {
      throw new GatewayError('GW_ERR_ROUTE_NOT_FOUND', `No voucher batch with id ${id}.`, {
        param: 'id',
      });
    }
    const now = context.now();
    const vouchers = (await store.listVouchers(id)).map((voucher) => encodeVoucher(voucher, now));
    if (format === 'csv') {
      void reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="redemptions-${batch.id}.csv"`);
      return encodeRedemptionsCsv(vouchers);
    }
    return { batch: encodeVoucherBatch(batch, currency), vouchers };
  });
}
