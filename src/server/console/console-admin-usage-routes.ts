import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import { microsToDecimalText } from '../../accounting/micros-to-decimal-text.ts';
import { formatUsageReportJson } from '../../reports/format-usage-report-json.ts';
import { parseReportMonth } from '../../reports/parse-report-month.ts';
import type { DeploymentHealth } from '../../routing/deployment-health.ts';
import { parseAdminInput } from '../admin/parse-admin-input.ts';
import type { ConsoleRouteContext } from './console-api-dependencies.ts';
import { loadMonthReport } from './load-month-report.ts';
import { rankAccountsBySpend } from './rank-accounts-by-spend.ts';

const usageQuerySchema = z.strictObject({
  month: z.string().optional(),
  top: z.coerce.number().int().min(1).max(100).default(10),
});

/**
 * Console admins: the whole gateway's usage for a month (per model and day, as `shepherd report`)
 * with the accounts that spent most, and the upstream deployments' circuit state.
 */
export function registerConsoleAdminUsageRoutes(
  admin: FastifyInstance,
  context: ConsoleRouteContext,
  health: DeploymentHealth | undefined,
) {
  const { store, currency } = context;

  admin.get('/usage', async (request, reply) => {
    const query = parseAdminInput(usageQuerySchema, request.query, 'query');
    const report = await loadMonthReport(context, { month: query.month });
    const period = parseReportMonth(report.month);
    const records = await store.listUsageRecords({ from: period.from, to: period.to });
    const names = new Map((await store.listAccounts()).map((account) => [account.id, account]));
    void reply.header('cache-control', 'no-store');
    return {
      report: formatUsageReportJson(report),
      topAccounts: rankAccountsBySpend(records, query.top).map((spend) => ({
        accountId: spend.accountId,
        name: names.get(spend.accountId)?.name ?? null,
        requests: spend.requests,
        currency,
        cost: microsToDecimalText(spend.costMicros),
        costMicros: spend.costMicros.toString(),
      })),
    };
  });

  if (health !== undefined) {
    admin.get('/upstreams', async () => ({ data: health.snapshot(performance.now()) }));
  }
}
