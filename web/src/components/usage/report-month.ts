import type { Locale } from '../../i18n/locale.ts';

const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The UTC calendar month of `now` as YYYY-MM: the report's months are UTC months. */
export function currentUtcMonth(now: Date = new Date()): string {
  return now.toISOString().slice(0, 7);
}

/** A month the API accepts (YYYY-MM, 1970 or later), so the page never asks for a 400. */
export function isReportMonth(value: string): boolean {
  const match = MONTH_PATTERN.exec(value);
  return match !== null && Number(match[1]) >= 1970;
}

/** `2026-11` → "November 2026" / "2026년 11월". */
export function formatReportMonth(month: string, locale: Locale): string {
  const date = new Date(`${month}-01T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return month;
  return date.toLocaleDateString(locale === 'ko' ? 'ko-KR' : 'en-US', {
    year: 'numeric',
    month: 'long',
    timeZone: 'UTC',
  });
}

/** Day `day` of `month` as a short label: "11/3" / "11. 3.". */
export function formatMonthDay(month: string, day: number, locale: Locale): string {
  const date = new Date(`${month}-01T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return String(day);
  date.setUTCDate(day);
  return date.toLocaleDateString(locale === 'ko' ? 'ko-KR' : 'en-US', {
    month: 'numeric',
    day: 'numeric',
    timeZone: 'UTC',
  });
}
