import type { ReportPeriod } from './usage-report.ts';

/** A `--month` / `?month=` value that is not a calendar month; the message says what to send. */
export class InvalidReportMonthError extends Error {
  constructor(value: string) {
    super(`month must be a calendar month written YYYY-MM (for example 2026-11), not "${value}"`);
    this.name = 'InvalidReportMonthError';
  }
}

/** `"2026-11"` → [2026-11-01T00:00Z, 2026-12-01T00:00Z). Throws `InvalidReportMonthError`. */
export function parseReportMonth(value: string): ReportPeriod {
  const match = /^(\d{4})-(\d{2})$/.exec(value);
  const year = Number(match?.[1]);
  const month = Number(match?.[2]);
  // Date.UTC maps years below 100 onto the 1900s; no ledger predates 1970 anyway.
  if (match === null || year < 1970 || month < 1 || month > 12) {
    throw new InvalidReportMonthError(value);
  }
  return {
    month: value,
    from: new Date(Date.UTC(year, month - 1, 1)),
    to: new Date(Date.UTC(year, month, 1)),
  };
}

/** The UTC calendar month that contains `instant`. */
export function reportPeriodOf(instant: Date): ReportPeriod {
  return parseReportMonth(instant.toISOString().slice(0, 7));
}
