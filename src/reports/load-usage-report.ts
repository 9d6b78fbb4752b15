import type { LedgerStore } from '../storage/ledger-store.ts';
import { buildUsageReport } from './build-usage-report.ts';
import { parseReportMonth } from './parse-report-month.ts';
import type { UsageReport } from './usage-report.ts';

/** Reads before giving up on a consistent view while requests keep settling. */
const ATTEMPTS = 3;

/**
 * Reads one month's usage records and the ledger's usage charges for the same period (and account)
 * and builds the report. Throws `InvalidReportMonthError` for a bad month.
 *
 * The two are separate reads, so a request settling between them would look like a mismatch. Usage
 * charges only grow, so when the ledger sum is the same before and after the records were read, the
 * records are the ones that sum belongs to; otherwise the reads are repeated (a real mismatch stays).
 */
export async function loadUsageReport(options: {
  store: Pick<LedgerStore, 'listUsageRecords' | 'sumUsageCharges'>;
  /** `YYYY-MM`. */
  month: string;
  accountId?: string;
  currency: string;
}): Promise<UsageReport> {
  const period = parseReportMonth(options.month);
  const filter = {
    from: period.from,
    to: period.to,
    ...(options.accountId === undefined ? {} : { accountId: options.accountId }),
  };
  for (let attempt = 1; ; attempt += 1) {
    const before = await options.store.sumUsageCharges(filter);
    const records = await options.store.listUsageRecords(filter);
    const after = await options.store.sumUsageCharges(filter);
    if (before === after || attempt === ATTEMPTS) {
      return buildUsageReport({
        records,
        period,
        currency: options.currency,
        ledgerTotalMicros: after,
        ...(options.accountId === undefined ? {} : { accountId: options.accountId }),
      });
    }
  }
}
