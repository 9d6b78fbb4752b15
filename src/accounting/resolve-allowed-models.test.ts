import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveAllowedModels } from './resolve-allowed-models.ts';

const models = [
  { id: 'gpt-4.1', aliases: ['gpt4'] },
  { id: 'claude-sonnet-4-5', aliases: ['claude', 'sonnet'] },
];

test('ids and aliases in any case become public ids, without repeats', () => {
  assert.deepEqual(resolveAllowedModels(['GPT4', 'claude', 'Sonnet', 'gpt-4.1'], models), [
    'gpt-4.1',
    'claude-sonnet-4-5',
  ]);
  assert.deepEqual(resolveAllowedModels([], models), []);
});

test('unknown names are all named in one error', () => {
  assert.throws(() => resolveAllowedModels(['gpt-5', 'claude', 'llama'], models), {
    name: 'RangeError',
    message: /"gpt-5", "llama".*known models: gpt-4\.1, claude-sonnet-4-5/,
  });
});
