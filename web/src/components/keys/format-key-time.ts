import type { Locale } from '../../i18n/locale.ts';

function intlLocale(locale: Locale): string {
  return locale === 'ko' ? 'ko-KR' : 'en-US';
}

/** A day in the user's time zone (created, expires): the table stays narrow without seconds. */
export function formatKeyDay(iso: string, locale: Locale): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString(intlLocale(locale), { dateStyle: 'medium' });
}

/** A moment to the minute (last used). */
export function formatKeyMinute(iso: string, locale: Locale): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(intlLocale(locale), { dateStyle: 'medium', timeStyle: 'short' });
}
