import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createPromptCache } from './create-prompt-cache.ts';

const system = { text: 'S'.repeat(400), cacheBreakpoint: true };
const question = (text: string) => ({ text, cacheBreakpoint: false });

describe('createPromptCache', () => {
  test('a repeated prefix is read from the cache on the same namespace only', () => {
    const cache = createPromptCache();
    assert.deepEqual(cache.lookup('openai:gpt-4.1', [system, question('first')]), {
      readTokens: 0,
      writeTokens: 100,
    });
    assert.deepEqual(cache.lookup('openai:gpt-4.1', [system, question('second')]), {
      readTokens: 100,
      writeTokens: 0,
    });
    assert.deepEqual(cache.lookup('openai:gpt-4.1-mini', [system, question('third')]), {
      readTokens: 0,
      writeTokens: 100,
    });
  });

  test('reads the longest remembered prefix and writes the rest up to the last breakpoint', () => {
    const cache = createPromptCache();
    const turn = { text: 'T'.repeat(40), cacheBreakpoint: true };
    cache.lookup('n', [system, question('q')]);
    assert.deepEqual(cache.lookup('n', [system, turn, question('q')]), {
      readTokens: 100,
      writeTokens: 10,
    });
    assert.deepEqual(cache.lookup('n', [system, turn, question('other')]), {
      readTokens: 110,
      writeTokens: 0,
    });
  });

  test('forgets the oldest prefixes past its bound', () => {
    const cache = createPromptCache(1);
    cache.lookup('n', [system]);
    cache.lookup('n', [{ text: 'other', cacheBreakpoint: true }]);
    assert.equal(cache.lookup('n', [system]).readTokens, 0);
  });
});
