import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
} from 'react';
import { createTranslate, type Messages, type Translate } from './define-messages.ts';
import { detectLocale, type Locale, saveLocale } from './locale.ts';

interface LocaleState {
  locale: Locale;
  setLocale(locale: Locale): void;
}

const LocaleContext = createContext<LocaleState | null>(null);

export function LocaleProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(detectLocale);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  // Stable, so what depends on it (the session's sign-in) is not remade by a language switch.
  const setLocale = useCallback((next: Locale) => {
    saveLocale(next);
    setLocaleState(next);
  }, []);
  const value = useMemo<LocaleState>(() => ({ locale, setLocale }), [locale, setLocale]);
  return <LocaleContext.Provider value={value}>{children}</LocaleContext.Provider>;
}

export function useLocale(): LocaleState {
  const state = useContext(LocaleContext);
  if (state === null) throw new Error('useLocale outside LocaleProvider');
  return state;
}

/** `const t = useMessages(keysMessages); t('title')` in the current language. */
export function useMessages<Key extends string>(messages: Messages<Key>): Translate<Key> {
  const { locale } = useLocale();
  return useMemo(() => createTranslate(messages, locale), [messages, locale]);
}
