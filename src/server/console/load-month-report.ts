import { GatewayError } from '../../errors/gateway-error.ts';
import { loadUsageReport } from '../../reports/load-usage-report.ts';
import { InvalidReportMonthError, reportPeriodOf } from '../../reports/parse-report-month.ts';
import type { UsageReport } from '../../reports/usage-report.ts';
import { mapReportCurrencyMismatch } from '../report-currency-mismatch.ts';
import type { ConsoleRouteContext } from './console-api-dependencies.ts';

/** The month's usage report (default: the current UTC month); a bad month is a 400 on `month`. */
export async function loadMonthReport(
  context: Pick<ConsoleRouteContext, 'store' | 'currency' | 'now'>,
  options: { month: string | undefined; accountId?: string },
): Promise<UsageReport> {
  try {
    return await loadUsageReport({
      store: context.store,
      month: options.month ?? reportPeriodOf(context.now()).month,
      currency: context.currency,
      ...(options.accountId === undefined ? {} : { accountId: options.accountId }),
    });
  } catch (error) {
    if (error instanceof InvalidReportMonthError) {
      throw new GatewayError('GW_ERR_INVALID_REQUEST', `The ${error.message}.`, {
        param: 'month',
      });
    }
    throw mapReportCurrencyMismatch(error);
  }
}
