/**
 * One RFC 4180 cell of free text: quoted when it holds a comma, quote or line break (quotes doubled),
 * and prefixed with `'` when it starts with `=`, `+`, `-`, `@`, a tab or a carriage return, which a
 * spreadsheet would run as a formula (OWASP "CSV injection"). Text only: a number keeps its sign
 * through `csvCell`.
 */
export function csvTextCell(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return csvCell(/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
}

/** One RFC 4180 cell, quoted only when needed; null and undefined are empty. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
