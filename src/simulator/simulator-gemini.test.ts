import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FunctionCallingConfigMode, GoogleGenAI, Type } from '@google/genai';
import { isRecord, safeParseJson } from '../util/safe-parse-json.ts';
import { type RunningSimulator, startSimulator } from './start-simulator.ts';
import { dataPayloads } from './test-support/data-payloads.ts';
import { parseJsonObject } from './test-support/parse-json-object.ts';
import { postToSimulator } from './test-support/post-to-simulator.ts';

const KEY = { 'x-goog-api-key': 'gemini-test-key' };
const weatherDeclaration = {
  name: 'get_weather',
  parameters: {
    type: Type.OBJECT,
    properties: { city: { type: Type.STRING } },
    required: ['city'],
  },
};

describe('simulator as Gemini', () => {
  let simulator: RunningSimulator;
  let client: GoogleGenAI;
  before(async () => {
    simulator = await startSimulator({ latency: 'instant' });
    client = new GoogleGenAI({
      apiKey: 'gemini-test-key',
      httpOptions: { baseUrl: simulator.url },
    });
  });
  after(async () => simulator.close());

  test('the SDK reads generateContent; 2.5 Flash thinks by default, hidden', async () => {
    const response = await client.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'Hello [simulate tokens=3]',
    });
    assert.equal(response.text, 'Simulated reply from');
    assert.equal(response.candidates?.[0]?.finishReason, 'STOP');
    assert.equal(response.usageMetadata?.promptTokenCount, 7); // ceil(25 / 4)
    assert.equal(response.usageMetadata?.candidatesTokenCount, 3);
    assert.equal(response.usageMetadata?.thoughtsTokenCount, 16);
    assert.equal(response.usageMetadata?.totalTokenCount, 26);
    assert.equal(simulator.requests.at(-1)?.headers['x-goog-api-key'], '***-key');
  });

  test('the SDK streams with thoughts: thought parts first, running usage, finish on the last chunk', async () => {
    const stream = await client.models.generateContentStream({
      model: 'gemini-2.5-flash',
      contents: 'Think [simulate tokens=10 reasoning=4]',
      config: { thinkingConfig: { includeThoughts: true } },
    });
    let thoughts = '';
    let text = '';
    const candidatesCounts: (number | undefined)[] = [];
    let finishReason: string | undefined;
    for await (const chunk of stream) {
      for (const part of chunk.candidates?.[0]?.content?.parts ?? []) {
        if (part.thought === true) thoughts += part.text ?? '';
        else text += part.text ?? '';
      }
      candidatesCounts.push(chunk.usageMetadata?.candidatesTokenCount);
      finishReason = chunk.candidates?.[0]?.finishReason ?? finishReason;
    }
    assert.equal(thoughts, "Simulated reasoning from Shepherd's");
    assert.match(
      text,
      /^Simulated reply from Shepherd's provider simulator \(model gemini-2\.5-flash\): you/,
    );
    assert.deepEqual(candidatesCounts, [0, 8, 10]);
    assert.equal(finishReason, 'STOP');
  });

  test('the SDK gets a whole functionCall with a thoughtSignature, streamed and not', async () => {
    const config = {
      tools: [{ functionDeclarations: [weatherDeclaration] }],
      toolConfig: { functionCallingConfig: { mode: FunctionCallingConfigMode.AUTO } },
    };
    const response = await client.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'Weather?',
      config,
    });
    assert.deepEqual(response.functionCalls, [
      { name: 'get_weather', args: { city: 'simulated-city' } },
    ]);
    const part = response.candidates?.[0]?.content?.parts?.[0];
    assert.ok((part?.thoughtSignature ?? '').length > 0);

    const stream = await client.models.generateContentStream({
      model: 'gemini-2.5-flash',
      contents: 'Weather?',
      config,
    });
    const calls = [];
    for await (const chunk of stream) calls.push(...(chunk.functionCalls ?? []));
    assert.deepEqual(calls, [{ name: 'get_weather', args: { city: 'simulated-city' } }]);

    const followUp = await client.models.generateContent({
      model: 'gemini-2.5-flash',
      config,
      contents: [
        { role: 'user', parts: [{ text: 'Weather?' }] },
        {
          role: 'model',
          parts: [{ functionCall: { name: 'get_weather', args: { city: 'Seoul' } } }],
        },
        {
          role: 'user',
          parts: [{ functionResponse: { name: 'get_weather', response: { celsius: 21 } } }],
        },
      ],
    });
    assert.equal(followUp.functionCalls, undefined);
    assert.match(followUp.text ?? '', /^Simulated reply/);
  });

  test('raw bytes: CRLF-separated events, no [DONE], running totals; ?key= works', async () => {
    const reply = await postToSimulator({
      url: simulator.url,
      path: '/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse&key=query-key',
      body: { contents: [{ role: 'user', parts: [{ text: 'x [simulate tokens=12]' }] }] },
    });
    assert.equal(reply.status, 200);
    assert.equal(reply.headers.get('content-type'), 'text/event-stream');
    assert.ok(reply.text.endsWith('}\r\n\r\n'));
    assert.ok(!reply.text.includes('[DONE]'));
    assert.equal(reply.text.split('\r\n\r\n').length, 3); // two events of 8 and 4 tokens
    const events = dataPayloads(reply.text, '\r\n\r\n').map(parseJsonObject);
    const usages = events.map((event) => event.usageMetadata);
    assert.deepEqual(usages, [
      {
        promptTokenCount: 6,
        candidatesTokenCount: 8,
        totalTokenCount: 14,
        promptTokensDetails: [{ modality: 'TEXT', tokenCount: 6 }],
      },
      {
        promptTokenCount: 6,
        candidatesTokenCount: 12,
        totalTokenCount: 18,
        promptTokensDetails: [{ modality: 'TEXT', tokenCount: 6 }],
      },
    ]);
    assert.ok(simulator.requests.at(-1)?.path.endsWith('key=***'));
  });

  test('without alt=sse the stream is one JSON array', async () => {
    const reply = await postToSimulator({
      url: simulator.url,
      path: '/v1beta/models/gemini-2.0-flash:streamGenerateContent',
      headers: KEY,
      body: { contents: [{ parts: [{ text: 'x [simulate tokens=12]' }] }] },
    });
    assert.ok(reply.text.startsWith('[{') && reply.text.endsWith('}]'));
    const array = safeParseJson(reply.text);
    assert.ok(array.ok && Array.isArray(array.value));
    assert.equal(array.value.length, 2);
  });

  test('maxOutputTokens truncates with MAX_TOKENS; a repeated system prompt is cached', async () => {
    const systemInstruction = { parts: [{ text: 'G'.repeat(200) }] };
    const body = (text: string) => ({
      systemInstruction,
      contents: [{ role: 'user', parts: [{ text }] }],
      generationConfig: { maxOutputTokens: 2 },
    });
    const path = '/v1beta/models/gemini-2.0-flash:generateContent';
    await postToSimulator({
      url: simulator.url,
      path,
      headers: KEY,
      body: body('first [simulate tokens=9]'),
    });
    const reply = await postToSimulator({
      url: simulator.url,
      path,
      headers: KEY,
      body: body('second [simulate tokens=9]'),
    });
    const response = parseJsonObject(reply.text);
    assert.ok(Array.isArray(response.candidates));
    assert.ok(isRecord(response.candidates[0]));
    assert.equal(response.candidates[0].finishReason, 'MAX_TOKENS');
    assert.deepEqual(response.candidates[0].content, {
      parts: [{ text: 'Simulated reply' }],
      role: 'model',
    });
    assert.ok(isRecord(response.usageMetadata));
    assert.equal(response.usageMetadata.cachedContentTokenCount, 50);
    assert.equal(response.usageMetadata.promptTokenCount, 57); // ceil((200 + 26) / 4)
  });

  test('a missing key is a 401 in Google format', async () => {
    const reply = await postToSimulator({
      url: simulator.url,
      path: '/v1beta/models/gemini-2.5-flash:generateContent',
      body: { contents: [{ parts: [{ text: 'hi' }] }] },
    });
    assert.equal(reply.status, 401);
    const error = parseJsonObject(reply.text).error;
    assert.ok(isRecord(error));
    assert.equal(error.code, 401);
    assert.equal(error.status, 'UNAUTHENTICATED');
  });

  test('a non-zero penalty is a 400 INVALID_ARGUMENT, as on Gemini 2.5; zero is accepted', async () => {
    const post = (generationConfig: Record<string, number>) =>
      postToSimulator({
        url: simulator.url,
        path: '/v1beta/models/gemini-2.5-flash:generateContent',
        headers: { 'x-goog-api-key': 'k' },
        body: { contents: [{ role: 'user', parts: [{ text: 'hi' }] }], generationConfig },
      });
    for (const generationConfig of [{ frequencyPenalty: 0.5 }, { presencePenalty: -1 }]) {
      const reply = await post(generationConfig);
      assert.equal(reply.status, 400);
      const error = parseJsonObject(reply.text).error;
      assert.ok(isRecord(error));
      assert.equal(error.status, 'INVALID_ARGUMENT');
      assert.match(String(error.message), /^Penalty is not enabled for models\/gemini-2\.5-flash/);
    }
    assert.equal((await post({ frequencyPenalty: 0, presencePenalty: 0 })).status, 200);
  });
});
