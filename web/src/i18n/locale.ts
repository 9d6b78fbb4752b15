export type Locale = 'ko' | 'en';

export const LOCALES: readonly Locale[] = ['ko', 'en'];

const STORAGE_KEY = 'shepherd.locale';

export function isLocale(value: unknown): value is Locale {
  return value === 'ko' || value === 'en';
}

/** The saved choice, else the browser's languages (Korean if it prefers Korean), else English. */
export function detectLocale(): Locale {
  const saved = readSavedLocale();
  if (saved !== null) return saved;
  for (const language of navigator.languages ?? [navigator.language]) {
    const primary = language.toLowerCase().split('-')[0];
    if (isLocale(primary)) return primary;
  }
  return 'en';
}

export function saveLocale(locale: Locale): void {
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Storage can be off (private windows); the choice then lasts for this page only.
  }
}

/** The language chosen in this browser, if any. */
export function readSavedLocale(): Locale | null {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    return isLocale(saved) ? saved : null;
  } catch {
    return null;
  }
}
