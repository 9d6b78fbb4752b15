import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestGateway, type TestGateway } from '../helpers/start-test-gateway.ts';

/**
 * Chat UIs send their sampling defaults on every call, whatever the model: NextChat sends
 * `temperature: 0.5, top_p: 1` and zero penalties. Those neutral values must not make a model
 * refuse the request.
 */
describe('chat UI default sampling parameters', () => {
  let harness: TestGateway;
  before(async () => {
    harness = await startTestGateway();
  });
  after(async () => harness.close());

  async function post(body: Record<string, unknown>) {
    const response = await fetch(`${harness.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${harness.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, text: await response.text() };
  }

  const nextChatDefaults = {
    messages: [{ role: 'user', content: 'hi' }],
    stream: true,
    temperature: 0.5,
    presence_penalty: 0,
    frequency_penalty: 0,
    top_p: 1,
  };

  for (const model of [
    'claude-sonnet-4-5',
    'claude-sonnet-4-20250514',
    'gpt-4.1',
    'gemini-2.5-flash',
    'deepseek-v3.2',
  ]) {
    test(`${model} answers NextChat's defaults (temperature 0.5 with top_p 1)`, async () => {
      const answer = await post({ ...nextChatDefaults, model });
      assert.equal(answer.status, 200, answer.text);
      assert.match(answer.text, /data: \[DONE\]/);
    });
  }

  test('claude-sonnet-4-5 with a real top_p beside temperature gets Anthropic’s 400 explained', async () => {
    const answer = await post({ ...nextChatDefaults, model: 'claude-sonnet-4-5', top_p: 0.9 });
    assert.equal(answer.status, 400);
    assert.match(answer.text, /cannot both be specified/);
  });
});
