import assert from 'node:assert/strict';
import { test } from 'node:test';
import { usageRecord } from '../../storage/ledger-test-kit.ts';
import {
  decodeUsageCursor,
  encodeRequestLogEntry,
  encodeUsageCursor,
  parseAttempts,
} from './encode-request-log-entry.ts';

const chain = [
  {
    deploymentId: 'openai/gpt-a',
    modelId: 'gpt-a',
    provider: 'openai',
    upstreamModel: 'gpt-a-2030',
    outcome: 'error',
    errorCode: 'GW_ERR_UPSTREAM_OVERLOADED',
    upstreamStatus: 503,
    startMs: 1.5,
    durationMs: 20,
  },
  {
    deploymentId: 'anthropic/claude-b',
    modelId: 'claude-b',
    provider: 'anthropic',
    upstreamModel: 'claude-b-1',
    outcome: 'ok',
    errorCode: null,
    upstreamStatus: 200,
    startMs: 25,
    durationMs: 300,
  },
];

test('a row carries its tokens, money as text, timings and the parsed attempt chain', () => {
  const record = {
    ...usageRecord({ requestId: 'req_1', accountId: 'acct_1', costMicros: 1_234_567n }),
    attempts: JSON.stringify(chain),
    requestedModel: 'gpt-a',
    servedModel: 'claude-b',
  };
  const entry = encodeRequestLogEntry(record);
  assert.equal(entry.fallback, true);
  assert.equal(entry.cost, '1.234567');
  assert.equal(entry.costMicros, '1234567');
  assert.deepEqual(entry.tokens, {
    input: 120,
    cachedInput: 20,
    cacheWrite: 0,
    output: 45,
    reasoning: 5,
  });
  assert.equal(entry.ttftMs, 180.5);
  assert.equal(entry.tokensPerSecond, 58.2);
  assert.deepEqual(
    entry.attempts?.map((attempt) => [attempt.model, attempt.outcome]),
    [
      ['gpt-a', 'error'],
      ['claude-b', 'ok'],
    ],
  );
});

test('one model, however many deployments, is no fallback; a corrupt chain is null', () => {
  const sameModel = JSON.stringify([chain[0], { ...chain[0], deploymentId: 'openai-2/gpt-a' }]);
  const base = usageRecord({ requestId: 'req_2', accountId: 'acct_1', costMicros: 0n });
  assert.equal(encodeRequestLogEntry({ ...base, attempts: sameModel }).fallback, false);
  assert.equal(encodeRequestLogEntry({ ...base, attempts: '[]' }).fallback, false);
  const corrupt = encodeRequestLogEntry({ ...base, attempts: '{not json' });
  assert.equal(corrupt.attempts, null);
  assert.equal(corrupt.fallback, false);
  assert.equal(parseAttempts('{"a":1}'), null);
});

test('cursors round-trip and anything else is refused', () => {
  const position = { createdAt: new Date('2030-01-02T03:04:05.678Z'), requestId: 'req_01ab' };
  assert.deepEqual(decodeUsageCursor(encodeUsageCursor(position)), position);
  for (const bad of ['', 'garbage', Buffer.from('2030-13-45 x').toString('base64url')]) {
    assert.equal(decodeUsageCursor(bad), undefined, bad);
  }
});
