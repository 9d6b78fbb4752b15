export interface TextColumn {
  header: string;
  /** Numbers read best right-aligned. */
  align: 'left' | 'right';
}

/**
 * Lays rows out in columns two spaces apart, each as wide as its widest cell, with a rule under the
 * header. Widths count code points, which is right for the ASCII, digits and currency signs used.
 */
export function renderTextTable(columns: readonly TextColumn[], rows: readonly string[][]): string {
  const widths = columns.map((column, index) =>
    Math.max(length(column.header), ...rows.map((row) => length(row[index] ?? ''))),
  );
  const line = (cells: readonly string[]) =>
    columns
      .map((column, index) => {
        const cell = cells[index] ?? '';
        const padding = ' '.repeat((widths[index] ?? 0) - length(cell));
        return column.align === 'right' ? padding + cell : cell + padding;
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(columns.map((column) => column.header)), rule, ...rows.map(line)].join('\n');
}

function length(text: string): number {
  return [...text].length;
}
