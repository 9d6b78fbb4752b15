import { type Command, Option } from 'commander';
import { formatUsageReportCsv } from '../reports/format-usage-report-csv.ts';
import { formatUsageReportJson } from '../reports/format-usage-report-json.ts';
import { formatUsageReportTable } from '../reports/format-usage-report-table.ts';
import { loadUsageReport } from '../reports/load-usage-report.ts';
import { parseReportMonth, reportPeriodOf } from '../reports/parse-report-month.ts';
import type { UsageReport } from '../reports/usage-report.ts';
import type { CommonOptions } from './load-cli-config.ts';
import { openCliStore } from './open-cli-store.ts';

interface ReportOptions extends CommonOptions {
  month?: string;
  account?: string;
  format: 'table' | 'csv' | 'json';
}

/**
 * `shepherd report [--month YYYY-MM] [--account <name>] [--format table|csv|json]`: a month's usage
 * per model and per UTC day, checked against the ledger's charges. A mismatch is shown in the
 * report and exits 1, so a cron job notices drift.
 */
export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('usage per model and per day for a UTC month, checked against the ledger')
    .option('-m, --month <YYYY-MM>', 'the UTC month (default: the current one)')
    .option('-a, --account <name>', 'only this account (default: every account)')
    .addOption(
      new Option('-f, --format <format>', 'output format')
        .choices(['table', 'csv', 'json'])
        .default('table'),
    )
    .option('-c, --config <path>', 'YAML configuration file')
    .option('--database <url>', 'database URL')
    .action(async (options: ReportOptions) => {
      // A bad month is refused before the database is opened.
      const month =
        options.month === undefined
          ? reportPeriodOf(new Date()).month
          : parseReportMonth(options.month).month;
      const { store, config } = await openCliStore(options);
      try {
        let accountId: string | undefined;
        if (options.account !== undefined) {
          const account = await store.getAccountByName(options.account);
          if (account === undefined) throw new Error(`no account named "${options.account}"`);
          accountId = account.id;
        }
        const report = await loadUsageReport({
          store,
          month,
          currency: config.billing.currency,
          ...(accountId === undefined ? {} : { accountId }),
        });
        process.stdout.write(render(report, options.format));
        if (!report.matchesLedger) process.exitCode = 1;
      } finally {
        await store.close();
      }
    });
}

function render(report: UsageReport, format: ReportOptions['format']): string {
  switch (format) {
    case 'csv':
      return formatUsageReportCsv(report);
    case 'json':
      return `${JSON.stringify(formatUsageReportJson(report), null, 2)}\n`;
    case 'table':
      return formatUsageReportTable(report);
  }
}
