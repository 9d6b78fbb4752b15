import { renderTextTable, type TextColumn } from '../reports/render-text-table.ts';
import type { BenchReport, BenchRow, GatewayShare } from './bench-types.ts';

const COLUMNS: TextColumn[] = [
  { header: 'Length', align: 'right' },
  { header: 'Target', align: 'left' },
  { header: 'OK', align: 'right' },
  { header: 'Tokens', align: 'right' },
  { header: 'TTFT avg', align: 'right' },
  { header: 'TTFT p50', align: 'right' },
  { header: 'TTFT p95', align: 'right' },
  { header: 'Total avg', align: 'right' },
  { header: 'Tokens/s', align: 'right' },
  { header: 'Chunks/s', align: 'right' },
];

/** Failed requests listed one per line at most; the rest are counted. */
const FAILURES_LISTED = 10;

/**
 * The seed's table for a terminal: per answer length and target the time to first token (avg, p50,
 * p95), the total time, tokens/s and chunks/s; under each length's gateway and direct rows, their
 * difference. Then what the columns mean and any failed requests.
 */
export function formatBenchTable(report: BenchReport): string {
  const { settings } = report;
  const nameWidth = Math.max(...report.targets.map((target) => target.name.length), 8);
  const lines = [
    `Streaming benchmark: ${settings.runs} ${settings.runs === 1 ? 'run' : 'runs'} per length, ` +
      `concurrency ${settings.concurrency}, timeout ${settings.timeoutMs / 1000} s`,
    ...report.targets.map(
      (target) => `  ${target.name.padEnd(nameWidth)}  ${target.baseUrl}  model ${target.model}`,
    ),
    ...(report.upstream === null ? [] : [`  ${'upstream'.padEnd(nameWidth)}  ${report.upstream}`]),
    '',
  ];
  const rows: string[][] = [];
  for (const length of settings.lengths) {
    for (const row of report.rows.filter((candidate) => candidate.length === length)) {
      rows.push(rowCells(row));
    }
    const share = report.shares.find((candidate) => candidate.length === length);
    if (share !== undefined) rows.push(shareCells(share));
  }
  lines.push(renderTextTable(COLUMNS, rows), '');
  lines.push(
    'TTFT: time to the first content, reasoning or tool-call delta. Tokens/s and chunks/s: after ' +
      'it, until the last byte.',
  );
  if (report.shares.length > 0) {
    lines.push('gateway − direct: what the gateway adds (difference of each statistic).');
  }
  if (report.rows.some((row) => row.tokensFrom === 'chunks' || row.tokensFrom === 'mixed')) {
    lines.push('* the endpoint sent no usage chunk: tokens counted as chunks.');
  }
  if (report.interrupted) {
    lines.push(
      `Interrupted: the figures cover the ${report.samples.length} requests that finished.`,
    );
  }
  const failures = report.samples.flatMap((sample) =>
    sample.ok
      ? []
      : [`  ${sample.target}, ${sample.length} tokens, run ${sample.run}: ${sample.error}`],
  );
  if (failures.length > 0) {
    lines.push(`Failed requests (${failures.length}):`, ...failures.slice(0, FAILURES_LISTED));
    if (failures.length > FAILURES_LISTED) {
      lines.push(`  … and ${failures.length - FAILURES_LISTED} more (see --out … .json)`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function rowCells(row: BenchRow): string[] {
  const counted = row.tokensFrom === 'chunks' || row.tokensFrom === 'mixed' ? '*' : '';
  return [
    String(row.length),
    row.target,
    `${row.succeeded}/${row.requests}`,
    row.completionTokensAvg === null ? '–' : `${Math.round(row.completionTokensAvg)}${counted}`,
    milliseconds(row.ttftMs?.avg),
    milliseconds(row.ttftMs?.p50),
    milliseconds(row.ttftMs?.p95),
    seconds(row.totalMs?.avg),
    rate(row.tokensPerSecondAvg),
    rate(row.chunksPerSecondAvg),
  ];
}

function shareCells(share: GatewayShare): string[] {
  return [
    String(share.length),
    'gateway − direct',
    '',
    '',
    milliseconds(share.ttftMs.avg, true),
    milliseconds(share.ttftMs.p50, true),
    milliseconds(share.ttftMs.p95, true),
    seconds(share.totalMs.avg, true),
    '',
    '',
  ];
}

function milliseconds(value: number | undefined, signed = false): string {
  return value === undefined ? '–' : `${sign(value, signed)}${value.toFixed(1)} ms`;
}

function seconds(valueMs: number | undefined, signed = false): string {
  return valueMs === undefined ? '–' : `${sign(valueMs, signed)}${(valueMs / 1000).toFixed(3)} s`;
}

function rate(value: number | null): string {
  return value === null ? '–' : value.toFixed(1);
}

function sign(value: number, signed: boolean): string {
  return signed && value >= 0 ? '+' : '';
}
