import type { Locale } from './locale.ts';

/**
 * One area's strings in both languages. English is the reference: Korean must have exactly its
 * keys, so a missing translation is a type error. `{name}` marks a parameter.
 */
export type Messages<Key extends string> = { en: Record<Key, string>; ko: Record<Key, string> };

export function defineMessages<const English extends Record<string, string>>(messages: {
  en: English;
  ko: { [Key in keyof English]: string };
}): Messages<Extract<keyof English, string>> {
  return messages;
}

export type Translate<Key extends string> = (
  key: Key,
  parameters?: Record<string, string | number>,
) => string;

export function createTranslate<Key extends string>(
  messages: Messages<Key>,
  locale: Locale,
): Translate<Key> {
  const table = messages[locale];
  return (key, parameters) => {
    const text = table[key];
    if (parameters === undefined) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = parameters[name];
      return value === undefined ? whole : String(value);
    });
  };
}
