import { formatMicros } from '../accounting/format-micros.ts';
import { basisPointsToPercent } from './basis-points-to-percent.ts';
import { renderTextTable, type TextColumn } from './render-text-table.ts';
import type { UsageReport, UsageSummary } from './usage-report.ts';

const right = (header: string): TextColumn => ({ header, align: 'right' });

const MODEL_COLUMNS: TextColumn[] = [
  { header: 'MODEL', align: 'left' },
  right('REQUESTS'),
  right('OK'),
  right('ERRORS'),
  right('CLOSED'),
  right('ESTIMATED'),
  right('INPUT'),
  right('CACHED'),
  right('CACHE WRITE'),
  right('OUTPUT'),
  right('REASONING'),
  right('COST'),
  right('SHARE'),
  right('TTFT P50'),
  right('TTFT P95'),
  right('TOK/S'),
];

const DAY_COLUMNS: TextColumn[] = [
  { header: 'DAY (UTC)', align: 'left' },
  right('REQUESTS'),
  right('INPUT'),
  right('OUTPUT'),
  right('COST'),
];

/**
 * The report for a terminal: a heading, the per-model table with a total row, the per-day table
 * (every day of the month) and the comparison with the ledger. Money is shown exactly
 * (`formatMicros`); `locale` sets digit grouping and the currency sign (default en-US).
 */
export function formatUsageReportTable(
  report: UsageReport,
  options: { locale?: string } = {},
): string {
  const locale = options.locale ?? 'en-US';
  const count = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const rate = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const money = (micros: bigint) => formatMicros(micros, report.currency, locale);
  const milliseconds = (value: number | null) =>
    value === null ? '-' : `${count.format(Math.round(value))} ms`;

  const summaryCells = (label: string, summary: UsageSummary, share: string) => [
    label,
    count.format(summary.requests),
    count.format(summary.ok),
    count.format(summary.errors),
    count.format(summary.clientClosed),
    count.format(summary.estimated),
    count.format(summary.tokens.input),
    count.format(summary.tokens.cachedInput),
    count.format(summary.tokens.cacheWrite),
    count.format(summary.tokens.output),
    count.format(summary.tokens.reasoning),
    money(summary.costMicros),
    share,
    milliseconds(summary.ttftP50Ms),
    milliseconds(summary.ttftP95Ms),
    summary.tokensPerSecondMedian === null ? '-' : rate.format(summary.tokensPerSecondMedian),
  ];

  const last = report.days.at(-1)?.date ?? report.month;
  const scope = report.accountId === null ? 'all accounts' : `account ${report.accountId}`;
  const sections = [
    `Usage ${report.month} (${report.from.toISOString().slice(0, 10)} to ${last}, UTC), ${scope}, ${report.currency}`,
  ];
  if (report.models.length === 0) {
    sections.push(`No requests in ${report.month}.`);
  } else {
    const modelRows = report.models.map((model) =>
      summaryCells(model.model, model, `${basisPointsToPercent(model.shareBasisPoints)}%`),
    );
    const totalShare = report.total.costMicros > 0n ? '100.00%' : '0.00%';
    modelRows.push(summaryCells('TOTAL', report.total, totalShare));
    sections.push(renderTextTable(MODEL_COLUMNS, modelRows));
  }
  sections.push(
    renderTextTable(
      DAY_COLUMNS,
      report.days.map((day) => [
        day.date,
        count.format(day.requests),
        count.format(day.tokens.input),
        count.format(day.tokens.output),
        money(day.costMicros),
      ]),
    ),
  );
  sections.push(
    report.matchesLedger
      ? `Ledger usage charges: ${money(report.ledgerTotalMicros)}, equal to the report total.`
      : `LEDGER MISMATCH: the ledger charged ${money(report.ledgerTotalMicros)} but the usage records total ${money(report.total.costMicros)} (difference ${money(report.ledgerTotalMicros - report.total.costMicros)}). Run \`shepherd ledger check\`.`,
  );
  return `${sections.join('\n\n')}\n`;
}
