import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ModelEntry } from '../../config/config-schema.ts';
import { encodeOpenaiModel, encodeOpenaiModelList } from './encode-openai-models.ts';

const CLAUDE: ModelEntry = {
  id: 'claude-sonnet-4',
  aliases: ['sonnet'],
  ownedBy: 'anthropic',
  contextWindow: 200_000,
  maxOutputTokens: 64_000,
  pricing: { input: '3', cachedInput: '0.3', cacheWrite: '3.75', cacheWrite1h: '6', output: '15' },
  free: false,
  routes: [{ provider: 'anthropic', model: 'claude-sonnet-4-20250514', weight: 1, priority: 0 }],
};

const LOCAL: ModelEntry = {
  id: 'qwen-local',
  aliases: [],
  ownedBy: 'local',
  contextWindow: 32_768,
  maxOutputTokens: 8_192,
  free: true,
  routes: [{ provider: 'vllm', model: 'Qwen/Qwen3-8B', weight: 1, priority: 0 }],
};

describe('encodeOpenaiModel', () => {
  it('encodes OpenAI fields first, then context, pricing and aliases', () => {
    assert.equal(
      JSON.stringify(encodeOpenaiModel(CLAUDE, 1_700_000_000)),
      JSON.stringify({
        id: 'claude-sonnet-4',
        object: 'model',
        created: 1_700_000_000,
        owned_by: 'anthropic',
        context_window: 200_000,
        max_output_tokens: 64_000,
        pricing: {
          currency: 'USD',
          unit: 'per_1m_tokens',
          input: 3,
          cached_input: 0.3,
          cache_write: 3.75,
          cache_write_1h: 6,
          output: 15,
        },
        aliases: ['sonnet'],
      }),
    );
  });

  it('marks a model without pricing as free and omits absent cache prices', () => {
    assert.deepEqual(encodeOpenaiModel(LOCAL, 5), {
      id: 'qwen-local',
      object: 'model',
      created: 5,
      owned_by: 'local',
      context_window: 32_768,
      max_output_tokens: 8_192,
      free: true,
      aliases: [],
    });
    const plain = encodeOpenaiModel({ ...CLAUDE, pricing: { input: '1', output: '2' } }, 5);
    assert.deepEqual(plain.pricing, {
      currency: 'USD',
      unit: 'per_1m_tokens',
      input: 1,
      output: 2,
    });
  });
});

describe('encodeOpenaiModelList', () => {
  it('lists models in catalogue order', () => {
    const list = encodeOpenaiModelList([CLAUDE, LOCAL], 9);
    assert.equal(list.object, 'list');
    assert.deepEqual(list.data, [encodeOpenaiModel(CLAUDE, 9), encodeOpenaiModel(LOCAL, 9)]);
    assert.deepEqual(encodeOpenaiModelList([], 9), { object: 'list', data: [] });
  });
});
