import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MAX_JSON_NESTING_DEPTH } from '../../src/server/parse-json-body.ts';
import { startTestGateway, type TestGateway } from '../helpers/start-test-gateway.ts';

/** `depth` arrays, one inside the other. */
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

/** Test plan A9: each place a client can put an arbitrary JSON value, with a nesting bomb in it. */
const positions: Record<string, (value: string) => string> = {
  messages: (value) => `{"model":"gpt-4.1","messages":${value}}`,
  'a passthrough field': (value) =>
    `{"model":"deepseek-v3.2","messages":[{"role":"user","content":"hi"}],"x_extra":${value}}`,
  'tool parameters': (value) =>
    `{"model":"gpt-4.1","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","a":${value}}}}]}`,
  'response_format.json_schema.schema': (value) =>
    `{"model":"gpt-4.1","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_schema","json_schema":{"name":"x","schema":{"type":"object","a":${value}}}}}`,
};

describe(`a body nested deeper than ${MAX_JSON_NESTING_DEPTH} levels is 400 before any hold`, () => {
  let harness: TestGateway;
  before(async () => {
    harness = await startTestGateway();
  });
  after(async () => harness.close());

  async function post(body: string) {
    const response = await fetch(`${harness.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${harness.apiKey}`, 'content-type': 'application/json' },
      body,
    });
    return { status: response.status, text: await response.text() };
  }

  /** What a request that was refused at the door must leave as it was. */
  async function snapshot() {
    const { store, accountId, simulator } = harness;
    const { postedMicros, heldMicros } = await store.getBalance(accountId);
    const range = { from: new Date(0), to: new Date(Date.now() + 60_000), accountId };
    return {
      postedMicros,
      heldMicros,
      openHolds: await store.countOpenHolds(),
      ledgerEntries: (await store.listLedgerEntries({ accountId, limit: 1_000 })).length,
      usageRows: (await store.listUsageRecords(range)).length,
      upstreamCalls: simulator.requests.length,
    };
  }

  for (const [position, build] of Object.entries(positions)) {
    test(`10^5 levels in ${position}: 400 invalid_json, no hold, no upstream call`, async () => {
      const before = await snapshot();
      const result = await post(build(nested(100_000)));
      assert.equal(result.status, 400, result.text.slice(0, 300));
      const { error } = JSON.parse(result.text) as { error: Record<string, unknown> };
      assert.equal(error.type, 'invalid_request_error');
      assert.equal(error.code, 'invalid_json');
      assert.match(String(error.message), new RegExp(`${MAX_JSON_NESTING_DEPTH} levels`));
      assert.deepEqual(await snapshot(), before);
    });
  }

  test('the limit itself is served, one level more is refused', async () => {
    // The passthrough body is itself one object: its field's value may nest one level less.
    const body = (depth: number) => positions['a passthrough field']?.(nested(depth - 1)) ?? '';
    const atLimit = await post(body(MAX_JSON_NESTING_DEPTH));
    assert.equal(atLimit.status, 200, atLimit.text.slice(0, 300));
    const beyond = await post(body(MAX_JSON_NESTING_DEPTH + 1));
    assert.equal(beyond.status, 400, beyond.text.slice(0, 300));
  });
});
