import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { startTestGateway, type TestGateway } from '../helpers/start-test-gateway.ts';

const ADMIN_TOKEN = 'metrics-test-admin-token-0123456789';

/** `name{labels} value` lines of a Prometheus text body whose name and labels match. */
function sampleValue(body: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  let found = false;
  for (const line of body.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`)))
      continue;
    total += Number(line.slice(line.lastIndexOf(' ') + 1));
    found = true;
  }
  assert.ok(found, `no sample ${name} ${JSON.stringify(labels)} in:\n${body.slice(0, 4000)}`);
  return total;
}

describe('Prometheus metrics', () => {
  let harness: TestGateway;
  let client: OpenAI;

  before(async () => {
    harness = await startTestGateway({
      configure(config) {
        config.admin.token = ADMIN_TOKEN;
        config.metrics.port = 0;
      },
    });
    client = new OpenAI({ apiKey: harness.apiKey, baseURL: harness.baseUrl, maxRetries: 0 });
  });
  after(async () => harness.close());

  async function scrape(): Promise<string> {
    const url = harness.gateway.metricsUrl;
    assert.ok(url !== undefined, 'metrics.port: 0 starts a separate listener');
    const response = await fetch(url);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    return response.text();
  }

  test('requests, tokens, cost and latency histograms add up to the usage rows', async () => {
    const since = new Date(Date.now() - 60_000);
    await client.chat.completions.create({
      model: 'gpt-4.1',
      messages: [{ role: 'user', content: 'one [simulate tokens=12]' }],
    });
    const stream = await client.chat.completions.create({
      model: 'claude-sonnet-4',
      messages: [{ role: 'user', content: 'two [simulate tokens=20]' }],
      stream: true,
    });
    for await (const _chunk of stream) {
      // drain
    }
    harness.simulator.faults.add({ status: 400, times: 1 });
    await assert.rejects(
      client.chat.completions.create({
        model: 'gpt-4.1',
        messages: [{ role: 'user', content: 'three' }],
      }),
    );

    const rows = await harness.store.listUsageRecords({
      from: since,
      to: new Date(Date.now() + 60_000),
    });
    assert.equal(rows.length, 3);
    const body = await scrape();
    const okGpt = {
      gen_ai_request_model: 'gpt-4.1',
      gen_ai_response_model: 'gpt-4.1',
      status: 'ok',
    };
    assert.equal(sampleValue(body, 'shepherd_requests_total', okGpt), 1);
    assert.equal(
      sampleValue(body, 'shepherd_requests_total', {
        gen_ai_request_model: 'claude-sonnet-4-20250514',
        status: 'ok',
      }),
      1,
      'the resolved model id labels the series, not the alias the client sent',
    );
    assert.equal(
      sampleValue(body, 'shepherd_requests_total', {
        status: 'error',
        error_type: 'GW_ERR_UPSTREAM_BAD_REQUEST',
      }),
      1,
    );
    const outputTokens = rows.reduce((sum, row) => sum + row.outputTokens, 0);
    assert.equal(
      sampleValue(body, 'shepherd_tokens_total', { gen_ai_token_type: 'output' }),
      outputTokens,
    );
    const inputTokens = rows.reduce((sum, row) => sum + row.inputTokens, 0);
    assert.equal(
      sampleValue(body, 'shepherd_tokens_total', { gen_ai_token_type: 'input' }),
      inputTokens,
    );
    const costMicros = rows.reduce((sum, row) => sum + row.costMicros, 0n);
    assert.ok(costMicros > 0n);
    assert.ok(
      Math.abs(
        sampleValue(body, 'shepherd_cost_total', { currency: 'KRW' }) - Number(costMicros) / 1e6,
      ) < 1e-9,
    );
    assert.equal(
      sampleValue(body, 'gen_ai_server_time_to_first_token_seconds_count', {
        gen_ai_response_model: 'claude-sonnet-4-20250514',
      }),
      1,
    );
    assert.equal(sampleValue(body, 'gen_ai_server_request_duration_seconds_count'), 3);
    assert.equal(sampleValue(body, 'shepherd_streams_in_flight'), 0);
    assert.equal(sampleValue(body, 'shepherd_ledger_holds_open'), 0);
    assert.equal(
      sampleValue(body, 'shepherd_upstream_breaker_state', {
        deployment: 'openai/gpt-4.1',
        state: 'closed',
      }),
      1,
    );
    assert.equal(
      sampleValue(body, 'shepherd_http_requests_total', {
        route: '/v1/chat/completions',
        status_code: '200',
      }),
      2,
    );
    assert.ok(sampleValue(body, 'process_resident_memory_bytes') > 10_000_000);
  });

  test('on the main port /metrics needs the admin token', async () => {
    const url = `${harness.gateway.url}/metrics`;
    assert.equal((await fetch(url)).status, 401);
    assert.equal(
      (await fetch(url, { headers: { authorization: `Bearer ${harness.apiKey}` } })).status,
      401,
      'a user API key is not enough',
    );
    const response = await fetch(url, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    assert.equal(response.status, 200);
    assert.match(await response.text(), /# TYPE shepherd_requests_total counter/);
  });

  test('a non-stream answer carries Server-Timing with the gateway, upstream and total spans', async () => {
    const response = await fetch(`${harness.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${harness.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }),
    });
    assert.equal(response.status, 200);
    const timing = response.headers.get('server-timing') ?? '';
    const spans = Object.fromEntries(
      [...timing.matchAll(/(\w+);dur=([\d.]+)/g)].map((match) => [match[1], Number(match[2])]),
    );
    assert.deepEqual(Object.keys(spans).sort(), ['gateway', 'total', 'upstream']);
    assert.ok((spans.total ?? 0) >= (spans.gateway ?? 0) + (spans.upstream ?? 0) - 0.01, timing);
  });
});
