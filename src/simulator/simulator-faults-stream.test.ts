import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { safeParseJson } from '../util/safe-parse-json.ts';
import { type RunningSimulator, startSimulator } from './start-simulator.ts';
import { dataPayloads } from './test-support/data-payloads.ts';
import { postToSimulator } from './test-support/post-to-simulator.ts';
import { readUntilFailure } from './test-support/read-until-failure.ts';

const OPENAI_STREAM = {
  model: 'gpt-4.1',
  stream: true,
  messages: [{ role: 'user', content: 'hi [simulate tokens=5]' }],
};

describe('mid-stream faults', () => {
  let simulator: RunningSimulator;
  before(async () => {
    simulator = await startSimulator({ latency: 'instant' });
  });
  afterEach(() => simulator.faults.clear());
  after(async () => simulator.close());

  function openStream(
    path: string,
    body: unknown,
    headers: Record<string, string>,
  ): Promise<Response> {
    return fetch(simulator.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  }
  const openaiStream = () =>
    openStream('/v1/chat/completions', OPENAI_STREAM, { authorization: 'Bearer k' });

  test('cutAfterChunks destroys the socket after N content chunks, no terminator', async () => {
    simulator.faults.add({ cutAfterChunks: 2, times: 1 });
    const result = await readUntilFailure(await openaiStream());
    assert.equal(result.failed, true);
    const payloads = dataPayloads(result.text);
    assert.equal(payloads.length, 3); // role chunk + 2 content chunks
    assert.ok(!result.text.includes('[DONE]'));
    assert.ok(!result.text.includes('finish_reason":"stop'));
  });

  test('a cut past the last content chunk still comes before the finish', async () => {
    simulator.faults.add({ cutAfterChunks: 1000, times: 1 });
    const result = await readUntilFailure(await openaiStream());
    assert.equal(result.failed, true);
    assert.equal(dataPayloads(result.text).length, 6);
    assert.ok(!result.text.includes('finish_reason":"stop'));
  });

  test('stallAfterChunks pauses the stream after N content chunks, then it completes', async () => {
    simulator.faults.add({ stallAfterChunks: 1, stallMs: 200, times: 1 });
    const result = await readUntilFailure(await openaiStream());
    assert.equal(result.failed, false);
    assert.ok(result.text.endsWith('data: [DONE]\n\n'));
    const first = result.arrivals[0] ?? 0;
    const last = result.arrivals.at(-1) ?? 0;
    assert.ok(last - first >= 180, `stalled only ${last - first} ms`);
  });

  test('malformedAfterChunks sends one invalid JSON event, then carries on', async () => {
    simulator.faults.add({ malformedAfterChunks: 1, times: 1 });
    const result = await readUntilFailure(await openaiStream());
    const invalid = dataPayloads(result.text).filter(
      (payload) => payload !== '[DONE]' && !safeParseJson(payload).ok,
    );
    assert.equal(invalid.length, 1);
    assert.ok(result.text.endsWith('data: [DONE]\n\n'));
  });

  test('OpenAI error event: an error payload, no [DONE]; the SDK raises it', async () => {
    simulator.faults.add({ errorEventAfterChunks: 2, times: 2 });
    const result = await readUntilFailure(await openaiStream());
    assert.equal(result.failed, false);
    const payloads = dataPayloads(result.text);
    assert.equal(payloads.length, 4);
    assert.match(payloads.at(-1) ?? '', /^\{"error":\{"message":"The server had an error/);

    const client = new OpenAI({ apiKey: 'k', baseURL: `${simulator.url}/v1`, maxRetries: 0 });
    const stream = await client.chat.completions.create({
      model: 'gpt-4.1',
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    await assert.rejects(async () => {
      for await (const _chunk of stream) {
        // draining until the SDK throws on the error payload
      }
    }, OpenAI.APIError);
  });

  test('Anthropic error event: `event: error` overloaded_error, no message_stop; the SDK raises it', async () => {
    simulator.faults.add({ errorEventAfterChunks: 1, times: 2 });
    const body = {
      model: 'claude-sonnet-4-5',
      max_tokens: 50,
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    };
    const result = await readUntilFailure(
      await openStream('/v1/messages', body, { 'x-api-key': 'k' }),
    );
    assert.match(
      result.text,
      /event: error\ndata: \{"type":"error","error":\{"type":"overloaded_error","message":"Overloaded/,
    );
    assert.ok(!result.text.includes('message_stop'));

    const client = new Anthropic({ apiKey: 'k', baseURL: simulator.url, maxRetries: 0 });
    const stream = client.messages.stream({
      model: 'claude-sonnet-4-5',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'hi' }],
    });
    await assert.rejects(stream.finalMessage(), /overloaded_error/);
  });

  test('Gemini error payload ends the SSE stream', async () => {
    simulator.faults.add({ errorEventAfterChunks: 1, times: 1 });
    const body = { contents: [{ parts: [{ text: 'hi [simulate tokens=20]' }] }] };
    const path = '/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse';
    const result = await readUntilFailure(await openStream(path, body, { 'x-goog-api-key': 'k' }));
    const payloads = dataPayloads(result.text, '\r\n\r\n');
    assert.equal(payloads.length, 2);
    assert.equal(
      payloads[1],
      '{"error":{"code":503,"message":"The model is overloaded. Please try again later. (Shepherd provider simulator)","status":"UNAVAILABLE"}}',
    );
  });

  test('non-streaming: an error-event fault is the provider status, a cut breaks the body, malformed is invalid JSON', async () => {
    const anthropic = {
      url: simulator.url,
      path: '/v1/messages',
      headers: { 'x-api-key': 'k' },
      body: {
        model: 'claude-sonnet-4-5',
        max_tokens: 50,
        messages: [{ role: 'user', content: 'hi' }],
      },
    };
    simulator.faults.add({ errorEventAfterChunks: 0, times: 1 });
    assert.equal((await postToSimulator(anthropic)).status, 529);
    simulator.faults.add({ cutAfterChunks: 0, times: 1 });
    await assert.rejects(postToSimulator(anthropic), TypeError);
    simulator.faults.add({ malformedAfterChunks: 0, times: 1 });
    const malformed = await postToSimulator(anthropic);
    assert.equal(malformed.status, 200);
    assert.equal(safeParseJson(malformed.text).ok, false);
  });
});
