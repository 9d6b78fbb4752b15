import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { startTestGateway, type TestGateway } from '../helpers/start-test-gateway.ts';

const run = promisify(execFile);
const pythonClient = new URL('./clients/raw-sse-client.py', import.meta.url).pathname;

describe('clients other than the Node SDK', () => {
  let harness: TestGateway;
  before(async () => {
    harness = await startTestGateway();
  });
  after(async () => harness.close());

  for (const model of [
    'claude-sonnet-4-20250514',
    'gpt-4.1',
    'gemini-2.5-flash',
    'deepseek-v3.2',
  ]) {
    test(`${model}: Python reading raw SSE lines gets text, a usage chunk and [DONE]`, async () => {
      const { stdout } = await run('python3', [
        pythonClient,
        harness.baseUrl,
        harness.apiKey,
        model,
      ]);
      const result = JSON.parse(stdout) as {
        text: string;
        usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
        done: boolean;
      };
      assert.equal(result.done, true);
      assert.match(result.text, /simulat/i);
      assert.ok(result.usage.completion_tokens > 0);
      assert.equal(
        result.usage.total_tokens,
        result.usage.prompt_tokens + result.usage.completion_tokens,
      );
    });
  }

  test('curl without a Content-Type header still works (form encoding is read as JSON)', async () => {
    const { stdout } = await run('curl', [
      '-sS',
      `${harness.baseUrl}/chat/completions`,
      '-H',
      `Authorization: Bearer ${harness.apiKey}`,
      '-d',
      '{"model":"deepseek-chat","messages":[{"role":"user","content":"hi"}]}',
    ]);
    const completion = JSON.parse(stdout) as {
      model: string;
      choices: Array<{ message: { content: string } }>;
    };
    assert.equal(completion.model, 'deepseek-v3.2');
    assert.match(completion.choices[0]?.message.content ?? '', /simulat/i);
  });
});
