import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';
import {
  API_KEY_PLACEHOLDER,
  buildQuickStartSnippets,
} from '../../web/src/pages/build-quick-start-snippets.ts';

const run = promisify(execFile);
const BASE_URL = 'https://gateway.example.com/v1';

test('six snippets, each with the base URL, the model and the key placeholder', () => {
  const snippets = buildQuickStartSnippets({ baseUrl: BASE_URL, model: 'gpt-4.1' });
  assert.deepEqual(
    snippets.map((snippet) => snippet.id),
    ['python-plain', 'python-stream', 'node-plain', 'node-stream', 'curl-plain', 'curl-stream'],
  );
  for (const snippet of snippets) {
    assert.ok(snippet.code.includes(BASE_URL), snippet.id);
    assert.ok(snippet.code.includes('"gpt-4.1"'), snippet.id);
    assert.ok(snippet.code.includes(API_KEY_PLACEHOLDER), snippet.id);
    // Streaming ones ask for the final usage chunk; the others do not stream.
    assert.equal(/include_usage/.test(snippet.code), snippet.streaming, snippet.id);
    assert.equal(/stream(=True|: true|"\s*:\s*true)/.test(snippet.code), snippet.streaming);
  }
});

test('curl: the URL, header and body survive a POSIX shell, even with a quote in the model id', async () => {
  const model = "it's-a-model";
  const [, stream] = buildQuickStartSnippets({ baseUrl: BASE_URL, model }).filter(
    (snippet) => snippet.language === 'curl',
  );
  assert.ok(stream !== undefined);
  assert.ok(stream.code.startsWith('curl -N '));
  // A stand-in `curl` that prints its arguments, one per line, shows what the shell passed.
  const script = `curl() { printf '%s\\n' "$@"; }\n${stream.code}`;
  const { stdout } = await run('sh', ['-c', script]);
  const args = stdout.split('\n');
  assert.equal(args[0], '-N');
  assert.equal(args[1], `${BASE_URL}/chat/completions`);
  assert.equal(args[3], `Authorization: Bearer ${API_KEY_PLACEHOLDER}`);
  const body: unknown = JSON.parse(args.slice(7).join('\n'));
  assert.deepEqual(body, {
    model,
    messages: [{ role: 'user', content: 'Say hello in Korean and in English.' }],
    max_tokens: 200,
    stream: true,
    stream_options: { include_usage: true },
  });
});
