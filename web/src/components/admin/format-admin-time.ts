import type { Locale } from '../../i18n/locale.ts';

function intlLocale(locale: Locale): string {
  return locale === 'ko' ? 'ko-KR' : 'en-US';
}

/**
 * A moment near now as the time of day and how far away it is: "14:03:25 (in 40 sec.)". Circuit
 * times are seconds to minutes away, so the distance is what an operator reads first.
 */
export function formatMoment(epochMs: number, nowMs: number, locale: Locale): string {
  const time = new Date(epochMs).toLocaleTimeString(intlLocale(locale));
  const seconds = Math.round((epochMs - nowMs) / 1000);
  const relative = new Intl.RelativeTimeFormat(intlLocale(locale), {
    numeric: 'auto',
    style: 'short',
  });
  const distance =
    Math.abs(seconds) < 120
      ? relative.format(seconds, 'second')
      : Math.abs(seconds) < 7200
        ? relative.format(Math.round(seconds / 60), 'minute')
        : relative.format(Math.round(seconds / 3600), 'hour');
  return `${time} (${distance})`;
}

/** The day only, for table columns where the time of day is noise: "Nov 24, 2026". */
export function formatDay(iso: string, locale: Locale): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString(intlLocale(locale), { dateStyle: 'medium' });
}
