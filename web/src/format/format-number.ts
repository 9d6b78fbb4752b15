import type { Locale } from '../i18n/locale.ts';

/** Counts with grouping: 12,345. */
export function formatCount(value: number, locale: Locale): string {
  return value.toLocaleString(locale === 'ko' ? 'ko-KR' : 'en-US');
}

/** Milliseconds, one decimal under 10 ms; `—` when unknown. */
export function formatMilliseconds(value: number | null, locale: Locale): string {
  if (value === null) return '—';
  const digits = value < 10 ? 1 : 0;
  return `${value.toLocaleString(locale === 'ko' ? 'ko-KR' : 'en-US', { maximumFractionDigits: digits })} ms`;
}

/** Tokens per second, one decimal; `—` when unknown. */
export function formatRate(value: number | null, locale: Locale): string {
  if (value === null) return '—';
  return value.toLocaleString(locale === 'ko' ? 'ko-KR' : 'en-US', { maximumFractionDigits: 1 });
}

/** A share 0..1 as a percentage: 12.5 %. */
export function formatShare(share: number, locale: Locale): string {
  return new Intl.NumberFormat(locale === 'ko' ? 'ko-KR' : 'en-US', {
    style: 'percent',
    maximumFractionDigits: 1,
  }).format(share);
}

/** A timestamp in the user's time zone, short: 2026-11-24 12:34:56 style per locale. */
export function formatDateTime(iso: string, locale: Locale): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(locale === 'ko' ? 'ko-KR' : 'en-US', {
    dateStyle: 'medium',
    timeStyle: 'medium',
  });
}
