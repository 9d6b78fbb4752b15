import { createRequire } from 'node:module';

type O200kEncoding = typeof import('gpt-tokenizer/encoding/o200k_base');

const require = createRequire(import.meta.url);
let countTokens: O200kEncoding['countTokens'] | undefined;
/** Model output is counted as plain text: a `<|endoftext|>` it contains is not a special token. */
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

/**
 * Counts tokens of model output with the o200k encoding (GPT-4o/4.1 and later), a close stand-in
 * for every provider's tokenizer when a stream was cut before the provider reported usage.
 *
 * The encoder's rank tables take a few hundred milliseconds to load, so they load on first use,
 * synchronously (so settlement stays a plain function), never at startup: only cut streams need it.
 */
export function countOutputTokens(text: string): number {
  if (text === '') return 0;
  countTokens ??= loadEncoding().countTokens;
  return countTokens(text, PLAIN_TEXT);
}

function loadEncoding(): O200kEncoding {
  return require('gpt-tokenizer/encoding/o200k_base');
}
