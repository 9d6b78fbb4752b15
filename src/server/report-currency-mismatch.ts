import { GatewayError } from '../errors/gateway-error.ts';
import { UsageReportCurrencyError } from '../reports/build-usage-report.ts';

/**
 * A usage report's mixed-currency refusal as the client error every report route answers (409), or
 * `error` unchanged. Mixed currencies follow an operator changing `billing.currency` mid-month: not a
 * gateway fault, so never a 500.
 */
export function mapReportCurrencyMismatch(error: unknown): unknown {
  if (!(error instanceof UsageReportCurrencyError)) return error;
  return new GatewayError(
    'GW_ERR_REPORT_CURRENCY_MISMATCH',
    `This month's usage is priced partly in ${error.recordCurrency} and the report's currency (billing.currency) is ${error.reportCurrency}, so the amounts cannot be added up: billing.currency was changed during the month. Report a month priced in one currency, or set billing.currency back to ${error.recordCurrency} to report this one.`,
    { cause: error },
  );
}
