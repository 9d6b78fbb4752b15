import assert from 'node:assert/strict';
import { test } from 'node:test';
import { providerSecrets } from './provider-secrets.ts';

test("a provider's secrets: its key and its credential headers, a scheme word taken off", () => {
  const connection = {
    name: 'azure-eu',
    type: 'openai-compatible' as const,
    baseUrl: 'https://example.openai.azure.com/openai/v1',
    apiKey: 'sk-provider-key-123',
    headers: {
      'api-key': 'azure-key-0123456789',
      Authorization: 'Bearer proxy-token-0123456789',
      'X-Title': 'Team chat',
      'HTTP-Referer': 'https://chat.example.com',
    },
  };
  assert.deepEqual(providerSecrets(connection), [
    'sk-provider-key-123',
    'azure-key-0123456789',
    'Bearer proxy-token-0123456789',
    'proxy-token-0123456789',
  ]);
  assert.equal(providerSecrets(connection), providerSecrets(connection), 'worked out once');
});
