import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configSchema } from '../config/config-schema.ts';
import { DEFAULT_MODELS } from '../config/default-catalog.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import { createModelCatalog } from './model-catalog.ts';

const providers = {
  anthropic: { type: 'anthropic', baseUrl: 'http://127.0.0.1:1' },
  openai: { type: 'openai', baseUrl: 'http://127.0.0.1:1/v1' },
  gemini: { type: 'gemini', baseUrl: 'http://127.0.0.1:1' },
  deepseek: { type: 'openai-compatible', baseUrl: 'http://127.0.0.1:1' },
};
const catalog = createModelCatalog(
  configSchema.parse({ providers, models: DEFAULT_MODELS }).models,
);

function notFoundMessage(name: string): string {
  try {
    catalog.resolve(name);
  } catch (error) {
    assert.ok(error instanceof GatewayError);
    assert.equal(error.code, 'GW_ERR_MODEL_NOT_FOUND');
    assert.equal(error.status, 404);
    assert.equal(error.param, 'model');
    return error.message;
  }
  assert.fail(`${name} resolved`);
}

test('resolves public ids and aliases, case-insensitively', () => {
  assert.equal(catalog.resolve('deepseek-chat').id, 'deepseek-v3.2');
  assert.equal(catalog.resolve('GPT-4.1').id, 'gpt-4.1');
  assert.equal(catalog.resolve('claude-sonnet-4-5-20250929').id, 'claude-sonnet-4-5');
});

test('an Anthropic-style old name suggests the Claude models to type instead', () => {
  const message = notFoundMessage('claude-3-5-sonnet-20241022');
  assert.match(message, /Did you mean `claude-sonnet-4-5`, `claude-sonnet-4-20250514`/);
});

test('near misses suggest the intended model first', () => {
  assert.match(notFoundMessage('gpt-4-1'), /Did you mean `gpt-4\.1`/);
  assert.match(notFoundMessage('gemini-2.0-flash'), /Did you mean `gemini-2\.5-flash`/);
  assert.match(notFoundMessage('deepseek-v3'), /Did you mean `deepseek-v3\.2`/);
});

test('an unrelated name gets no suggestion but still points to the model list', () => {
  const message = notFoundMessage('zzzz');
  assert.doesNotMatch(message, /Did you mean/);
  assert.match(message, /GET \/v1\/models/);
});
