import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import { microsToDecimalText } from '../../accounting/micros-to-decimal-text.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import { formatUsageReportCsv } from '../../reports/format-usage-report-csv.ts';
import { formatUsageReportJson } from '../../reports/format-usage-report-json.ts';
import { encodeBalance } from '../admin/encode-admin-views.ts';
import { parseAdminInput } from '../admin/parse-admin-input.ts';
import { readConsoleAuth } from './authenticate-console-session.ts';
import type { ConsoleRouteContext } from './console-api-dependencies.ts';
import {
  decodeUsageCursor,
  encodeRequestLogEntry,
  encodeUsageCursor,
} from './encode-request-log-entry.ts';
import { loadMonthReport } from './load-month-report.ts';

const DAY_MS = 86_400_000;

const reportQuerySchema = z.strictObject({
  /** YYYY-MM; absent: the current UTC month. */
  month: z.string().optional(),
  format: z.enum(['json', 'csv']).default('json'),
});

const logQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** The requested or the served model. */
  model: z.string().min(1).max(200).optional(),
  keyId: z.string().min(1).max(200).optional(),
  /** `nextCursor` of the previous page. */
  cursor: z.string().min(1).max(400).optional(),
});

/**
 * The signed-in account's usage: the monthly report (JSON or CSV, the same as `shepherd report`),
 * today's spend for a live view, and the request log newest first with cursor pagination.
 */
export function registerConsoleUsageRoutes(scope: FastifyInstance, context: ConsoleRouteContext) {
  const { store, currency } = context;

  scope.get('/usage', async (request, reply) => {
    const { accountId } = readConsoleAuth(request).user;
    const query = parseAdminInput(reportQuerySchema, request.query, 'query');
    const report = await loadMonthReport(context, { month: query.month, accountId });
    void reply.header('cache-control', 'no-store');
    if (query.format === 'csv') {
      void reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="usage-${report.month}.csv"`);
      return formatUsageReportCsv(report);
    }
    return formatUsageReportJson(report);
  });

  // Two indexed reads, cheap enough to poll every few seconds.
  scope.get('/usage/today', async (request, reply) => {
    const { accountId } = readConsoleAuth(request).user;
    const now = context.now();
    const from = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
    const to = new Date(from.getTime() + DAY_MS);
    const [spentMicros, balance] = await Promise.all([
      store.sumUsageCharges({ from, to, accountId }),
      store.getBalance(accountId),
    ]);
    void reply.header('cache-control', 'no-store');
    return {
      date: from.toISOString().slice(0, 10),
      currency,
      spent: microsToDecimalText(spentMicros),
      spentMicros: spentMicros.toString(),
      balance: encodeBalance(balance, currency),
      at: now.toISOString(),
    };
  });

  scope.get('/requests', async (request, reply) => {
    const { accountId } = readConsoleAuth(request).user;
    const query = parseAdminInput(logQuerySchema, request.query, 'query');
    const before = query.cursor === undefined ? undefined : decodeUsageCursor(query.cursor);
    if (query.cursor !== undefined && before === undefined) {
      throw new GatewayError(
        'GW_ERR_INVALID_REQUEST',
        'The cursor is not one this API returned; start again without it.',
        { param: 'cursor' },
      );
    }
    // One row more than asked tells whether another page exists.
    const rows = await store.listRecentUsageRecords({
      accountId,
      limit: query.limit + 1,
      ...(before === undefined ? {} : { before }),
      ...(query.model === undefined ? {} : { model: query.model }),
      ...(query.keyId === undefined ? {} : { keyId: query.keyId }),
    });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    void reply.header('cache-control', 'no-store');
    return {
      data: page.map(encodeRequestLogEntry),
      nextCursor: rows.length > query.limit && last !== undefined ? encodeUsageCursor(last) : null,
    };
  });
}
