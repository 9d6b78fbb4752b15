import { createHash } from 'node:crypto';
import { countPromptTokens } from './count-prompt-tokens.ts';
import type { PromptSegment } from './simulation-input.ts';

/** Bounds memory: the oldest prefixes are forgotten first. */
const DEFAULT_MAX_PREFIXES = 10_000;

export interface PromptCacheResult {
  /** Tokens of the longest breakpoint prefix seen before (served from the cache). */
  readTokens: number;
  /** Tokens from there up to the last breakpoint, written now (only Anthropic reports them). */
  writeTokens: number;
}

export interface PromptCache {
  lookup(namespace: string, segments: readonly PromptSegment[]): PromptCacheResult;
}

/**
 * A deliberately simple prompt cache. Each prefix of the prompt that ends at a breakpoint segment
 * is remembered (by hash, per namespace = dialect and model); a later prompt reads from the
 * longest remembered prefix. Real providers' minimum cacheable lengths and TTLs are not modelled.
 */
export function createPromptCache(maxPrefixes: number = DEFAULT_MAX_PREFIXES): PromptCache {
  const seen = new Map<string, true>();

  function remember(key: string): boolean {
    const known = seen.delete(key);
    seen.set(key, true);
    if (seen.size > maxPrefixes) {
      const oldest = seen.keys().next();
      if (oldest.done !== true) seen.delete(oldest.value);
    }
    return known;
  }

  return {
    lookup(namespace, segments) {
      const hash = createHash('sha256').update(namespace).update('\u0000');
      let characters = 0;
      let readCharacters = 0;
      let lastBreakpointCharacters = 0;
      for (const segment of segments) {
        hash.update(segment.text).update('\u0000');
        characters += segment.text.length;
        if (!segment.cacheBreakpoint || characters === 0) continue;
        if (remember(hash.copy().digest('base64'))) readCharacters = characters;
        lastBreakpointCharacters = characters;
      }
      const readTokens = countPromptTokens(readCharacters);
      const writeTokens =
        lastBreakpointCharacters > readCharacters
          ? countPromptTokens(lastBreakpointCharacters) - readTokens
          : 0;
      return { readTokens, writeTokens };
    },
  };
}
