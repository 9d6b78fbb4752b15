import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createUsage } from '../../canonical/usage.ts';
import { isRecord, safeParseJson } from '../../util/safe-parse-json.ts';
import { encodeOpenaiUsageJson } from './encode-openai-usage.ts';

const USAGE = createUsage({ inputTokens: 7, cacheWriteTokens: 2, outputTokens: 3 });

test('cost and balance are JSON numbers written exactly from the micro-units', () => {
  const cases: Array<[bigint, string]> = [
    [0n, '0'],
    [1n, '0.000001'],
    [12_500_000n, '12.5'],
    [-4_200n, '-0.0042'],
    // Past a double's precision: division by 10^6 wrote …793, …992 and …123455.
    [8_928_409_333_352_792n, '8928409333.352792'],
    [9_007_199_254_740_993n, '9007199254.740993'],
    [20_000_000_000_123_457n, '20000000000.123457'],
  ];
  for (const [micros, literal] of cases) {
    const text = encodeOpenaiUsageJson(USAGE, {
      costMicros: micros,
      balanceMicros: micros,
      currency: 'KRW',
    });
    assert.ok(
      text.endsWith(`,"cost":${literal},"currency":"KRW","balance":${literal}}`),
      `${micros}: ${text}`,
    );
    const parsed = safeParseJson(text);
    assert.ok(parsed.ok && isRecord(parsed.value), text);
    assert.equal(typeof parsed.value.cost, 'number');
    // A JSON reader makes the nearest doubles of them.
    assert.equal(parsed.value.cost, Number(literal));
    assert.equal(parsed.value.balance, Number(literal));
  }
});

test('tokens in OpenAI’s shape; cache writes only when there are some; no charge, no money fields', () => {
  const parsed = safeParseJson(
    encodeOpenaiUsageJson(createUsage({ inputTokens: 7, outputTokens: 3 })),
  );
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.value, {
    prompt_tokens: 7,
    completion_tokens: 3,
    total_tokens: 10,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  });
  const withWrites = safeParseJson(encodeOpenaiUsageJson(USAGE));
  assert.ok(withWrites.ok && isRecord(withWrites.value));
  assert.equal(withWrites.value.cache_creation_input_tokens, 2);
});
