import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import { GatewayError } from '../../errors/gateway-error.ts';
import { formatUsageReportJson } from '../../reports/format-usage-report-json.ts';
import { loadUsageReport } from '../../reports/load-usage-report.ts';
import {
  InvalidReportMonthError,
  parseReportMonth,
  reportPeriodOf,
} from '../../reports/parse-report-month.ts';
import type { LedgerStore } from '../../storage/ledger-store.ts';
import { mapReportCurrencyMismatch } from '../report-currency-mismatch.ts';

export interface UsageRouteDependencies {
  store: Pick<LedgerStore, 'listUsageRecords' | 'sumUsageCharges'>;
  /** The wallet currency (`billing.currency`). */
  currency: string;
  /** Wall clock in milliseconds: picks the default month. */
  now: () => number;
}

const querySchema = z.looseObject({ month: z.string().optional() });

/**
 * `GET /v1/usage?month=YYYY-MM`: the calling key's account's usage report for a UTC month (default:
 * the current one), as `formatUsageReportJson` shapes it. Register inside the authenticated /v1 scope.
 */
export function registerUsageRoute(app: FastifyInstance, dependencies: UsageRouteDependencies) {
  app.get('/usage', async (request, reply) => {
    const { identity } = request;
    // The /v1 scope authenticates every request before its handler runs.
    if (identity === undefined) {
      throw new GatewayError('GW_ERR_INVALID_API_KEY', 'Not authenticated.');
    }
    const month = readMonth(request.query, dependencies.now);
    const report = await loadUsageReport({
      store: dependencies.store,
      month,
      accountId: identity.accountId,
      currency: dependencies.currency,
    }).catch((error: unknown) => {
      throw mapReportCurrencyMismatch(error);
    });
    void reply.header('cache-control', 'no-store');
    return formatUsageReportJson(report);
  });
}

function readMonth(query: unknown, now: () => number): string {
  const parsed = querySchema.safeParse(query);
  if (!parsed.success) {
    throw invalidMonth('Send one month parameter written YYYY-MM, for example ?month=2026-11.');
  }
  const { month } = parsed.data;
  if (month === undefined) return reportPeriodOf(new Date(now())).month;
  try {
    return parseReportMonth(month).month;
  } catch (error) {
    if (error instanceof InvalidReportMonthError) throw invalidMonth(`The ${error.message}.`);
    throw error;
  }
}

function invalidMonth(message: string): GatewayError {
  return new GatewayError('GW_ERR_INVALID_REQUEST', message, { param: 'month' });
}
