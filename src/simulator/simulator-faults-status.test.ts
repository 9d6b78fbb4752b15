import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { isRecord } from '../util/safe-parse-json.ts';
import { type RunningSimulator, startSimulator } from './start-simulator.ts';
import { parseJsonObject } from './test-support/parse-json-object.ts';
import { postToSimulator } from './test-support/post-to-simulator.ts';

const openaiRequest = (model = 'gpt-4.1') => ({
  path: '/v1/chat/completions',
  headers: { authorization: 'Bearer sk-test' },
  body: { model, messages: [{ role: 'user', content: 'hi [simulate tokens=1]' }] },
});

describe('status faults', () => {
  let simulator: RunningSimulator;
  before(async () => {
    simulator = await startSimulator({ latency: 'instant' });
  });
  afterEach(() => simulator.faults.clear());
  after(async () => simulator.close());

  const send = (request: { path: string; headers: Record<string, string>; body: unknown }) =>
    postToSimulator({ url: simulator.url, ...request });

  test('OpenAI 429 with retry-after and its error body, `times` then healthy', async () => {
    simulator.faults.add({ status: 429, times: 1 });
    const limited = await send(openaiRequest());
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '1');
    const error = parseJsonObject(limited.text).error;
    assert.ok(isRecord(error));
    assert.deepEqual(
      [error.type, error.code, error.param],
      ['requests', 'rate_limit_exceeded', null],
    );
    assert.equal((await send(openaiRequest())).status, 200);
  });

  test('Anthropic 529 overloaded and 429 with the fault’s retry-after', async () => {
    const request = {
      path: '/v1/messages',
      headers: { 'x-api-key': 'sk-ant' },
      body: {
        model: 'claude-sonnet-4-5',
        max_tokens: 5,
        messages: [{ role: 'user', content: 'hi' }],
      },
    };
    simulator.faults.add({ status: 529, times: 1 });
    simulator.faults.add({ status: 429, retryAfterSeconds: 7, times: 1 });
    const overloaded = await send(request);
    assert.equal(overloaded.status, 529);
    const body = parseJsonObject(overloaded.text);
    assert.equal(body.type, 'error');
    assert.ok(isRecord(body.error));
    assert.equal(body.error.type, 'overloaded_error');
    assert.equal(overloaded.headers.get('retry-after'), null);
    const limited = await send(request);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '7');
    assert.ok(isRecord(parseJsonObject(limited.text).error));
  });

  test('Gemini 429 carries RetryInfo in the body, not a header', async () => {
    simulator.faults.add({ status: 429, times: 1 });
    const reply = await send({
      path: '/v1beta/models/gemini-2.5-flash:generateContent',
      headers: { 'x-goog-api-key': 'k' },
      body: { contents: [{ parts: [{ text: 'hi' }] }] },
    });
    assert.equal(reply.status, 429);
    assert.equal(reply.headers.get('retry-after'), null);
    const error = parseJsonObject(reply.text).error;
    assert.ok(isRecord(error));
    assert.equal(error.status, 'RESOURCE_EXHAUSTED');
    assert.deepEqual(error.details, [
      { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1s' },
    ]);
  });

  test('DeepSeek 503 in its own words', async () => {
    simulator.faults.add({ status: 503, times: 1 });
    const reply = await send({ ...openaiRequest('deepseek-chat'), path: '/chat/completions' });
    assert.equal(reply.status, 503);
    const error = parseJsonObject(reply.text).error;
    assert.ok(isRecord(error));
    assert.match(String(error.message), /^Server Overloaded/);
  });

  test('a model filter leaves other models alone', async () => {
    simulator.faults.add({ model: 'gpt-4.1-mini', status: 500, times: 2 });
    assert.equal((await send(openaiRequest('gpt-4.1'))).status, 200);
    assert.equal((await send(openaiRequest('gpt-4.1-mini'))).status, 500);
    assert.equal((await send(openaiRequest('gpt-4.1-mini'))).status, 500);
    assert.equal((await send(openaiRequest('gpt-4.1-mini'))).status, 200);
  });

  test('a header fault applies to its own request only; a bad one is a 400', async () => {
    const base = openaiRequest();
    const faulted = await send({
      ...base,
      headers: { ...base.headers, 'x-simulator-fault': '{"status":502}' },
    });
    assert.equal(faulted.status, 502);
    assert.equal((await send(base)).status, 200);
    const bad = await send({
      ...base,
      headers: { ...base.headers, 'x-simulator-fault': '{"status":"soon"}' },
    });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /x-simulator-fault/);
  });

  test('a fault with probability 0.5 fails exactly the requests whose draw falls below it', async () => {
    // Ten draws for the armed fault, then two for a header fault.
    const draws = [0.1, 0.9, 0.4, 0.6, 0.5, 0.0, 0.99, 0.3, 0.7, 0.2, 0.8, 0.1];
    const scripted = await startSimulator({
      latency: 'instant',
      random: () => draws.shift() ?? Number.NaN,
    });
    const post = (headers: Record<string, string>) =>
      postToSimulator({ url: scripted.url, ...openaiRequest(), headers });
    try {
      scripted.faults.add({ status: 503, probability: 0.5 });
      const statuses: number[] = [];
      for (let index = 0; index < 10; index += 1) {
        statuses.push((await post(openaiRequest().headers)).status);
      }
      assert.deepEqual(statuses, [503, 200, 503, 200, 200, 503, 200, 503, 200, 503]);
      assert.equal(draws.length, 2);
      scripted.faults.clear();
      const headerFault = {
        ...openaiRequest().headers,
        'x-simulator-fault': '{"status":502,"probability":0.5}',
      };
      assert.equal((await post(headerFault)).status, 200);
      assert.equal((await post(headerFault)).status, 502);
      assert.equal(draws.length, 0);
    } finally {
      await scripted.close();
    }
  });

  test('resetConnection destroys the socket without an answer', async () => {
    simulator.faults.add({ resetConnection: true, times: 1 });
    await assert.rejects(send(openaiRequest()), TypeError);
    assert.equal((await send(openaiRequest())).status, 200);
  });

  test('a pre-header stall delays the answer', async () => {
    simulator.faults.add({ stallMs: 150, status: 500, times: 1 });
    const started = performance.now();
    const reply = await send(openaiRequest());
    assert.equal(reply.status, 500);
    assert.ok(performance.now() - started >= 140);
  });

  test('HTTP admin: POST adds one or many, GET lists, DELETE clears, a bad spec is a 400', async () => {
    const admin = `${simulator.url}/_simulator/faults`;
    const added = await fetch(admin, {
      method: 'POST',
      body: JSON.stringify([
        { status: 500, times: 1 },
        { model: 'x', cutAfterChunks: 2 },
      ]),
    });
    assert.equal(added.status, 201);
    assert.deepEqual(await added.json(), {
      faults: [
        { status: 500, times: 1 },
        { model: 'x', cutAfterChunks: 2 },
      ],
    });
    assert.equal((await send(openaiRequest())).status, 500);
    assert.deepEqual(await (await fetch(admin)).json(), {
      faults: [{ model: 'x', cutAfterChunks: 2 }],
    });
    const cleared = await fetch(admin, { method: 'DELETE' });
    assert.deepEqual(await cleared.json(), { faults: [] });
    assert.deepEqual(simulator.faults.list(), []);
    const bad = await fetch(admin, {
      method: 'POST',
      body: JSON.stringify({ status: 500, colour: 'red' }),
    });
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /colour/);
    assert.deepEqual(simulator.faults.list(), []);
  });
});
