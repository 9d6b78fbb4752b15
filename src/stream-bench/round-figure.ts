/** Figures in CSV and JSON keep three decimals: microseconds for times in ms, more than enough. */
export function roundFigure(value: number | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  return Math.round(value * 1000) / 1000;
}
