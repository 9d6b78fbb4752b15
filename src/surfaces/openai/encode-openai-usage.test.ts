import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createUsage } from '../../canonical/usage.ts';
import { isRecord, safeParseJson } from '../../util/safe-parse-json.ts';
import { encodeOpenaiUsage, encodeOpenaiUsageJson } from './encode-openai-usage.ts';

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
    // The object form holds the nearest doubles, which is what a JSON reader makes of the text.
    assert.deepEqual(
      parsed.value,
      encodeOpenaiUsage(USAGE, { costMicros: micros, balanceMicros: micros, currency: 'KRW' }),
    );
  }
});

test('without a charge the text is the object form, serialized', () => {
  assert.equal(encodeOpenaiUsageJson(USAGE), JSON.stringify(encodeOpenaiUsage(USAGE)));
});
