import type { BenchReport, Distribution } from './bench-types.ts';
import { roundFigure } from './round-figure.ts';

const COLUMNS = [
  'length',
  'target',
  'requests',
  'succeeded',
  'completion_tokens_avg',
  'tokens_from',
  'ttft_avg_ms',
  'ttft_p50_ms',
  'ttft_p95_ms',
  'total_avg_ms',
  'total_p50_ms',
  'total_p95_ms',
  'tokens_per_second_avg',
  'chunks_per_second_avg',
] as const;

type Row = Partial<Record<(typeof COLUMNS)[number], string | number | null>>;

/**
 * The summary as one RFC 4180 table (CRLF line ends, one header row): a row per length and target
 * as in the terminal table, and per length a `gateway_minus_direct` row holding the differences of
 * the time statistics. Times in milliseconds; empty fields do not apply or were not measured.
 */
export function formatBenchCsv(report: BenchReport): string {
  const rows: Row[] = [];
  for (const length of report.settings.lengths) {
    for (const row of report.rows.filter((candidate) => candidate.length === length)) {
      rows.push({
        length,
        target: row.target,
        requests: row.requests,
        succeeded: row.succeeded,
        completion_tokens_avg: roundFigure(row.completionTokensAvg),
        tokens_from: row.tokensFrom,
        ...timeFields(row.ttftMs, row.totalMs),
        tokens_per_second_avg: roundFigure(row.tokensPerSecondAvg),
        chunks_per_second_avg: roundFigure(row.chunksPerSecondAvg),
      });
    }
    const share = report.shares.find((candidate) => candidate.length === length);
    if (share !== undefined) {
      rows.push({
        length,
        target: 'gateway_minus_direct',
        ...timeFields(share.ttftMs, share.totalMs),
      });
    }
  }
  const lines = [
    COLUMNS.join(','),
    ...rows.map((row) => COLUMNS.map((column) => field(row[column])).join(',')),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

function timeFields(ttft: Distribution | null, total: Distribution | null): Row {
  return {
    ttft_avg_ms: roundFigure(ttft?.avg),
    ttft_p50_ms: roundFigure(ttft?.p50),
    ttft_p95_ms: roundFigure(ttft?.p95),
    total_avg_ms: roundFigure(total?.avg),
    total_p50_ms: roundFigure(total?.p50),
    total_p95_ms: roundFigure(total?.p95),
  };
}

/** RFC 4180: quote a field holding a comma, quote or line break, doubling its quotes. */
function field(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
