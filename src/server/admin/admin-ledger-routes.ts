import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import { GatewayError } from '../../errors/gateway-error.ts';
import { formatUsageReportCsv } from '../../reports/format-usage-report-csv.ts';
import { formatUsageReportJson } from '../../reports/format-usage-report-json.ts';
import { loadUsageReport } from '../../reports/load-usage-report.ts';
import { InvalidReportMonthError, reportPeriodOf } from '../../reports/parse-report-month.ts';
import { mapReportCurrencyMismatch } from '../report-currency-mismatch.ts';
import type { AdminRouteContext } from './admin-api-dependencies.ts';
import { encodeBalance, encodeLedgerEntry } from './encode-admin-views.ts';
import { parseAdminInput, readIdParam } from './parse-admin-input.ts';
import { requireAdminAccount } from './require-admin-account.ts';

const ledgerQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
});

const reportQuerySchema = z.strictObject({
  /** YYYY-MM; absent: the current UTC month. */
  month: z.string().optional(),
  /** An account id; absent: every account. */
  account: z.string().min(1).optional(),
  format: z.enum(['json', 'csv']).default('json'),
});

/**
 * An account's ledger entries (newest first), the whole ledger's invariant check, and the monthly
 * usage report (every account, or one) as JSON or CSV.
 */
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

  admin.get('/reports/monthly', async (request, reply) => {
    const query = parseAdminInput(reportQuerySchema, request.query, 'query');
    const account =
      query.account === undefined ? undefined : await requireAdminAccount(store, query.account);
    let report: Awaited<ReturnType<typeof loadUsageReport>>;
    try {
      report = await loadUsageReport({
        store,
        month: query.month ?? reportPeriodOf(context.now()).month,
        currency,
        ...(account === undefined ? {} : { accountId: account.id }),
      });
    } catch (error) {
      if (error instanceof InvalidReportMonthError) {
        throw new GatewayError('GW_ERR_INVALID_REQUEST', `The ${error.message}.`, {
          param: 'month',
        });
      }
      throw mapReportCurrencyMismatch(error);
    }
    void reply.header('cache-control', 'no-store');
    if (query.format === 'csv') {
      void reply.type('text/csv; charset=utf-8');
      return formatUsageReportCsv(report);
    }
    return formatUsageReportJson(report);
  });

  admin.get('/ledger/check', async () => {
    const checkedAt = context.now();
    const violations = await store.checkLedger(checkedAt);
    return { ok: violations.length === 0, checkedAt: checkedAt.toISOString(), violations };
  });
}
