export type Alignment = 'left' | 'right';

/** A Markdown table padded so it also reads well as plain text on a terminal. */
export function formatMarkdownTable(
  headers: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  alignments: readonly Alignment[] = [],
): string {
  const widths = headers.map((header, column) =>
    Math.max(3, header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const pad = (text: string, column: number) => {
    const width = widths[column] ?? text.length;
    return alignments[column] === 'right' ? text.padStart(width) : text.padEnd(width);
  };
  const line = (cells: readonly string[]) =>
    `| ${headers.map((_, column) => pad(cells[column] ?? '', column)).join(' | ')} |`;
  const rule = `| ${widths
    .map((width, column) =>
      alignments[column] === 'right' ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width),
    )
    .join(' | ')} |`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

/** Fixed decimals; "n/a" for NaN or infinities. */
export function formatNumber(value: number, decimals: number): string {
  return Number.isFinite(value) ? value.toFixed(decimals) : 'n/a';
}

/** A signed value with a fixed number of decimals (for differences). */
export function formatSigned(value: number, decimals: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  const text = value.toFixed(decimals);
  return value >= 0 ? `+${text}` : text;
}
