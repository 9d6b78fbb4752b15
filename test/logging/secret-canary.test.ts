import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { issueApiKey } from '../../src/accounting/issue-api-key.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { type RunningSimulator, startSimulator } from '../../src/simulator/start-simulator.ts';
import { type RunningGateway, startGateway } from '../../src/start-gateway.ts';
import { openStore } from '../../src/storage/open-store.ts';
import type { Store } from '../../src/storage/store.ts';

/** A unique marker per secret, so a leak names which one leaked. */
const canary = (label: string) => `canary-${label}-${randomBytes(6).toString('hex')}`;

describe('no secret reaches a log line or a client (canary keys)', () => {
  const secrets = {
    // The simulator refuses keys containing "revoked" and quotes them in full in its 401 body.
    openaiKey: `sk-${canary('openai')}-revoked`,
    anthropicKey: `sk-ant-${canary('anthropic')}`,
    // Gemini answers a bad key with 400, whose message the gateway passes on: redaction matters.
    geminiKey: `${canary('gemini')}-revoked`,
    deepseekKey: `sk-${canary('deepseek')}`,
    adminToken: canary('admin-token-0123456789'),
    pepper: canary('pepper-0123456789'),
    userKey: '',
  };
  const logLines: string[] = [];
  const seen: string[] = [];
  let simulator: RunningSimulator;
  let gateway: RunningGateway;
  let store: Store;

  before(async () => {
    simulator = await startSimulator({ latency: 'instant' });
    const { config } = loadConfig({
      env: {},
      simulatorUrl: simulator.url,
      overrides: { port: 0, databaseUrl: 'sqlite::memory:' },
    });
    config.server.logLevel = 'trace';
    config.admin.token = secrets.adminToken;
    const keys: Record<string, string> = {
      openai: secrets.openaiKey,
      anthropic: secrets.anthropicKey,
      gemini: secrets.geminiKey,
      deepseek: secrets.deepseekKey,
    };
    for (const [name, provider] of Object.entries(config.providers)) {
      provider.apiKey = keys[name] ?? provider.apiKey;
    }
    // gpt-4.1 (revoked key) falls back to Claude: the failover path logs and records errors too.
    const gpt = config.models.find((model) => model.id === 'gpt-4.1');
    if (gpt !== undefined) gpt.fallbacks = ['claude-sonnet-4-20250514'];
    store = await openStore({ url: config.database.url });
    const logStream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    gateway = await startGateway({ config, store, keyPepper: secrets.pepper, logStream });
    const issued = await issueApiKey({
      store,
      pepper: secrets.pepper,
      accountName: 'c',
      keyName: 'c',
    });
    secrets.userKey = issued.key;
    await store.postCredit({
      kind: 'top_up',
      accountId: issued.accountId,
      amountMicros: 1_000_000n * 1_000_000n,
      idempotencyKey: 'canary-top-up',
    });
  });
  after(async () => {
    await gateway.close();
    await simulator.close();
    await store.close();
  });

  async function call(path: string, init: RequestInit = {}): Promise<Response> {
    const response = await fetch(`${gateway.url}${path}`, init);
    const text = await response.text();
    seen.push(`${response.status} ${JSON.stringify([...response.headers])} ${text}`);
    return new Response(text, { status: response.status, headers: response.headers });
  }

  const json = (key: string, body: unknown): RequestInit => ({
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const hello = [{ role: 'user', content: 'hello' }];

  test('every path a secret could leak through is exercised, and none leaks', async () => {
    // The revoked OpenAI key without fallback: the provider quotes the key in its 401, which
    // reaches the client as a 502 in the gateway's own words.
    const refused = await call('/v1/chat/completions', {
      ...json(secrets.userKey, { model: 'gpt-4.1', messages: hello }),
      headers: {
        authorization: `Bearer ${secrets.userKey}`,
        'content-type': 'application/json',
        'x-shepherd-fallback': 'none',
      },
    });
    assert.equal(refused.status, 502);
    assert.match(await refused.text(), /"code":"upstream_authentication_failed"/);
    // The deployment is now out of service; with fallback the request is served elsewhere.
    const failedOver = await call(
      '/v1/chat/completions',
      json(secrets.userKey, { model: 'gpt-4.1', messages: hello }),
    );
    assert.equal(failedOver.status, 200);
    assert.equal(failedOver.headers.get('x-shepherd-fallback'), 'true');
    const geminiRefused = await call(
      '/v1/chat/completions',
      json(secrets.userKey, { model: 'gemini-2.5-flash', messages: hello }),
    );
    assert.equal(geminiRefused.status, 400);
    assert.match(await geminiRefused.text(), /API key not valid: \[redacted\]/);
    for (const model of ['claude-sonnet-4-20250514', 'deepseek-v3.2']) {
      assert.equal(
        (
          await call(
            '/v1/chat/completions',
            json(secrets.userKey, { model, messages: hello, stream: true }),
          )
        ).status,
        200,
      );
    }
    // A stream cut mid-way and a provider 500: error paths log the error object.
    simulator.faults.add({ cutAfterChunks: 2, times: 1 });
    await call(
      '/v1/chat/completions',
      json(secrets.userKey, { model: 'deepseek-v3.2', messages: hello, stream: true }),
    );
    simulator.faults.add({ status: 500, times: 3 });
    await call(
      '/v1/chat/completions',
      json(secrets.userKey, { model: 'gemini-2.5-flash', messages: hello }),
    );
    // Client mistakes: wrong keys (a near miss of the real one too), bad JSON, unknown model.
    assert.equal(
      (await call('/v1/models', { headers: { authorization: `Bearer ${secrets.userKey}x` } }))
        .status,
      401,
    );
    assert.equal(
      (await call('/v1/models', { headers: { 'x-api-key': secrets.anthropicKey } })).status,
      401,
    );
    await call('/v1/chat/completions', {
      method: 'POST',
      headers: { authorization: `Bearer ${secrets.userKey}`, 'content-type': 'application/json' },
      body: '{"model": ',
    });
    await call(
      '/v1/chat/completions',
      json(secrets.userKey, { model: 'gpt-5-nope', messages: hello }),
    );
    // The admin API, right and wrong token, and the metrics endpoint.
    await call('/admin/api/upstreams', {
      headers: { authorization: `Bearer ${secrets.adminToken}` },
    });
    await call('/admin/api/accounts', {
      headers: { authorization: `Bearer ${secrets.adminToken}x` },
    });
    await call('/metrics', { headers: { authorization: `Bearer ${secrets.adminToken}` } });
    // The OpenAI SDK's own error path.
    const client = new OpenAI({
      apiKey: secrets.userKey,
      baseURL: `${gateway.url}/v1`,
      maxRetries: 0,
    });
    await assert.rejects(
      client.chat.completions.create(
        { model: 'gpt-4.1', messages: [{ role: 'user', content: 'x' }] },
        { headers: { 'x-shepherd-fallback': 'none' } },
      ),
      (error: Error) => {
        seen.push(error.message);
        return true;
      },
    );

    assert.ok(logLines.length > 20, `expected request logs at trace level, got ${logLines.length}`);
    const leaks: string[] = [];
    for (const [name, secret] of Object.entries(secrets)) {
      // The canary's random core is enough to catch a partly masked or truncated leak.
      const core = secret.match(/canary-[a-z-]+-[0-9a-f]{12}/)?.[0] ?? secret;
      for (const line of logLines)
        if (line.includes(core)) leaks.push(`log: ${name}: ${line.slice(0, 300)}`);
      for (const text of seen)
        if (text.includes(core)) leaks.push(`client: ${name}: ${text.slice(0, 300)}`);
    }
    assert.deepEqual(leaks, []);
  });

  test('a key or token pasted into the query string is not logged with the URL', async () => {
    const linesBefore = logLines.length;
    const user = encodeURIComponent(secrets.userKey);
    const admin = encodeURIComponent(secrets.adminToken);
    // Gemini's REST API takes its key as `?key=`, and some clients put keys in `?api_key=`: the
    // gateway does not accept them there (401), but the request is logged all the same.
    const paths = [
      `/v1/models?api_key=${user}`,
      `/v1/models?key=${user}`,
      `/v1/usage?month=2026-11&k=${user}`,
      `/admin/api/accounts?access_token=${admin}`,
      `/metrics?token=${admin}`,
    ];
    for (const path of paths) await call(path);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const lines = logLines.slice(linesBefore);
    const completed = lines
      .map((line) => JSON.parse(line) as { msg?: string; url?: string })
      .filter((line) => line.msg === 'request completed');
    assert.equal(completed.length, paths.length, lines.join('\n'));
    for (const [name, secret] of Object.entries(secrets)) {
      const core = secret.match(/canary-[a-z-]+-[0-9a-f]{12}/)?.[0] ?? secret;
      const leaked = lines.filter((line) => line.includes(core));
      assert.deepEqual(leaked, [], `${name} was logged`);
    }
    // What the request asked for stays readable; only the credential is taken out.
    assert.deepEqual(
      completed.map((line) => line.url),
      [
        '/v1/models?api_key=[redacted]',
        '/v1/models?key=[redacted]',
        '/v1/usage?month=2026-11&k=[redacted]',
        '/admin/api/accounts?access_token=[redacted]',
        '/metrics?token=[redacted]',
      ],
    );
  });

  test('log lines are JSON and carry the request id of the response', async () => {
    const response = await call('/v1/models', {
      headers: { authorization: `Bearer ${secrets.userKey}` },
    });
    const requestId = response.headers.get('x-request-id');
    assert.ok(requestId?.startsWith('req_'));
    const lines = logLines.map((line) => JSON.parse(line) as { reqId?: string; level: number });
    assert.ok(
      lines.some((line) => line.reqId === requestId),
      'the request id header is the reqId of its log lines',
    );
  });
});

/**
 * A provider behind a proxy, or a self-hosted one, that answers 200 and then reports an error
 * inside the stream, quoting the key it was sent. The simulator never quotes keys in its error
 * events, so this fake does. A prompt containing `after-first-token` gets one text delta first,
 * which commits the stream; a non-streaming call gets an OpenAI error member in a 200 body.
 */
function startQuotingUpstream(): Promise<{ url: string; close(): void }> {
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const presented =
        request.headers['api-key'] ??
        request.headers['x-api-key'] ??
        request.headers.authorization ??
        '';
      const key = String(presented).replace(/^Bearer /, '');
      const afterFirstToken = body.includes('after-first-token');
      if (!body.includes('"stream":true')) {
        response.writeHead(200, { 'content-type': 'application/json' });
        const error = {
          message: `Incorrect API key provided: ${key}`,
          type: 'invalid_request_error',
        };
        response.end(JSON.stringify({ error }));
        return;
      }
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      if (request.url?.endsWith('/v1/messages') === true) {
        if (afterFirstToken) {
          const message = { id: 'm', type: 'message', role: 'assistant', model: 'x', content: [] };
          const usage = { input_tokens: 3, output_tokens: 1 };
          const start = { type: 'message_start', message: { ...message, usage } };
          const block = { type: 'content_block_start', index: 0, content_block: { type: 'text' } };
          const delta = { type: 'content_block_delta', index: 0, delta: { type: 'text_delta' } };
          response.write(`event: message_start\ndata: ${JSON.stringify(start)}\n\n`);
          response.write(
            `event: content_block_start\ndata: ${JSON.stringify({ ...block, content_block: { ...block.content_block, text: '' } })}\n\n`,
          );
          response.write(
            `event: content_block_delta\ndata: ${JSON.stringify({ ...delta, delta: { ...delta.delta, text: 'Hi' } })}\n\n`,
          );
        }
        const error = {
          type: 'invalid_request_error',
          message: `key ${key} is not allowed for this model`,
        };
        response.end(`event: error\ndata: ${JSON.stringify({ type: 'error', error })}\n\n`);
        return;
      }
      if (afterFirstToken) {
        const choice = {
          index: 0,
          delta: { role: 'assistant', content: 'Hi' },
          finish_reason: null,
        };
        const chunk = { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'x' };
        response.write(`data: ${JSON.stringify({ ...chunk, choices: [choice] })}\n\n`);
      }
      const error = {
        message: `Incorrect API key provided: ${key}`,
        type: 'invalid_request_error',
      };
      response.end(`data: ${JSON.stringify({ error })}\n\n`);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, close: () => server.close() });
    });
  });
}

describe('a provider key quoted in an error inside a 200 answer reaches no client or log line', () => {
  const secrets = {
    openai: `sk-${canary('openai')}`,
    anthropic: `sk-ant-${canary('anthropic')}`,
    // Sent in a configured header (Azure OpenAI's `api-key`), not as the provider's key.
    header: canary('azure-api-key'),
  };
  const logLines: string[] = [];
  let upstream: { url: string; close(): void };
  let simulator: RunningSimulator;
  let gateway: RunningGateway;
  let store: Store;
  let userKey = '';

  before(async () => {
    upstream = await startQuotingUpstream();
    simulator = await startSimulator({ latency: 'instant' });
    const { config } = loadConfig({
      env: {},
      simulatorUrl: simulator.url,
      overrides: { port: 0, databaseUrl: 'sqlite::memory:' },
    });
    config.server.logLevel = 'trace';
    const { anthropic, openai } = config.providers;
    assert.ok(anthropic !== undefined && openai !== undefined);
    config.providers.anthropic = { ...anthropic, baseUrl: upstream.url, apiKey: secrets.anthropic };
    config.providers.openai = { ...openai, baseUrl: `${upstream.url}/v1`, apiKey: secrets.openai };
    const { deepseek } = config.providers;
    assert.ok(deepseek !== undefined);
    config.providers.deepseek = {
      ...deepseek,
      baseUrl: `${upstream.url}/v1`,
      apiKey: '',
      headers: { 'api-key': secrets.header },
    };
    store = await openStore({ url: config.database.url });
    const logStream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    const pepper = canary('pepper-0123456789');
    gateway = await startGateway({ config, store, keyPepper: pepper, logStream });
    const issued = await issueApiKey({ store, pepper, accountName: 'c', keyName: 'c' });
    userKey = issued.key;
    await store.postCredit({
      kind: 'top_up',
      accountId: issued.accountId,
      amountMicros: 1_000_000n * 1_000_000n,
      idempotencyKey: 'canary-top-up',
    });
  });
  after(async () => {
    await gateway.close();
    await simulator.close();
    await store.close();
    upstream.close();
  });

  const cases = [
    ['claude-sonnet-4-20250514', 'anthropic', true, 'before-first-token'],
    ['claude-sonnet-4-20250514', 'anthropic', true, 'after-first-token'],
    ['gpt-4.1', 'openai', true, 'before-first-token'],
    ['gpt-4.1', 'openai', true, 'after-first-token'],
    ['gpt-4.1', 'openai', false, 'not streamed'],
    ['deepseek-v3.2', 'header', true, 'before-first-token'],
    ['deepseek-v3.2', 'header', true, 'after-first-token'],
    ['deepseek-v3.2', 'header', false, 'not streamed'],
  ] as const;
  for (const [model, provider, stream, when] of cases) {
    test(`${model}, ${stream ? `an error event ${when}` : 'an error member in a 200 body'}`, async () => {
      const linesBefore = logLines.length;
      const response = await fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${userKey}`,
          'content-type': 'application/json',
          'x-shepherd-fallback': 'none',
        },
        body: JSON.stringify({ model, stream, messages: [{ role: 'user', content: when }] }),
      });
      const text = await response.text();
      // The request's last log line ("request completed") is written after the body ends.
      await new Promise((resolve) => setTimeout(resolve, 50));
      const secret = secrets[provider];
      const committed = when === 'after-first-token';
      assert.equal(response.status, committed ? 200 : 400, text);
      // The provider's message is passed on (a client error), with the key taken out of it.
      assert.match(text, /\[redacted\]/);
      if (committed) assert.match(text, /"error"/);
      assert.ok(!text.includes(secret), `the client saw the key: ${text.slice(0, 300)}`);
      const lines = logLines.slice(linesBefore);
      assert.ok(lines.length > 0, 'the request was logged');
      const leaked = lines.filter((line) => line.includes(secret));
      assert.deepEqual(leaked, [], 'a log line quotes the key');
    });
  }
});
