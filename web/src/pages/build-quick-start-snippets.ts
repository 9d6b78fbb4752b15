/**
 * The Quick start page's code: the same two calls (a plain answer, then a stream with
 * `include_usage`) for Python `openai`, Node `openai` and curl, filled with this gateway's base URL
 * and a real model id so they run as pasted once the key is put in.
 */

/** What the snippets carry instead of a key; the reader replaces it with theirs. */
export const API_KEY_PLACEHOLDER = 'sk-shep-...';

export type SnippetLanguage = 'python' | 'node' | 'curl';

export interface Snippet {
  id: `${SnippetLanguage}-${'plain' | 'stream'}`;
  language: SnippetLanguage;
  streaming: boolean;
  code: string;
}

/** A string literal valid in both JavaScript and Python (JSON's escapes are a subset of both). */
function literal(text: string): string {
  return JSON.stringify(text);
}

/** One argument for a POSIX shell, in single quotes (a quote inside becomes `'\''`). */
function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

const PROMPT = 'Say hello in Korean and in English.';
/** Small, so the credit held before the call (its worst case) stays small too. */
const MAX_TOKENS = 200;

function pythonSnippets(baseUrl: string, model: string, apiKey: string): Snippet[] {
  const client = [
    'from openai import OpenAI',
    '',
    `client = OpenAI(base_url=${literal(baseUrl)}, api_key=${literal(apiKey)})`,
    '',
  ];
  const call = (extra: string[]) => [
    `    model=${literal(model)},`,
    `    messages=[{"role": "user", "content": ${literal(PROMPT)}}],`,
    `    max_tokens=${MAX_TOKENS},`,
    ...extra,
  ];
  const plain = [
    ...client,
    'response = client.chat.completions.create(',
    ...call([]),
    ')',
    'print(response.choices[0].message.content)',
    'print(response.usage)',
  ];
  const stream = [
    ...client,
    'stream = client.chat.completions.create(',
    ...call(['    stream=True,', '    stream_options={"include_usage": True},']),
    ')',
    'for chunk in stream:',
    '    if chunk.choices and chunk.choices[0].delta.content:',
    '        print(chunk.choices[0].delta.content, end="", flush=True)',
    '    if chunk.usage:',
    '        print()',
    '        print(chunk.usage)',
  ];
  return [
    { id: 'python-plain', language: 'python', streaming: false, code: plain.join('\n') },
    { id: 'python-stream', language: 'python', streaming: true, code: stream.join('\n') },
  ];
}

function nodeSnippets(baseUrl: string, model: string, apiKey: string): Snippet[] {
  const client = [
    "import OpenAI from 'openai';",
    '',
    `const client = new OpenAI({ baseURL: ${literal(baseUrl)}, apiKey: ${literal(apiKey)} });`,
    '',
  ];
  const call = (extra: string[]) => [
    `  model: ${literal(model)},`,
    `  messages: [{ role: 'user', content: ${literal(PROMPT)} }],`,
    `  max_tokens: ${MAX_TOKENS},`,
    ...extra,
  ];
  const plain = [
    ...client,
    'const response = await client.chat.completions.create({',
    ...call([]),
    '});',
    'console.log(response.choices[0].message.content);',
    'console.log(response.usage);',
  ];
  const stream = [
    ...client,
    'const stream = await client.chat.completions.create({',
    ...call(['  stream: true,', '  stream_options: { include_usage: true },']),
    '});',
    'for await (const chunk of stream) {',
    "  process.stdout.write(chunk.choices[0]?.delta?.content ?? '');",
    "  if (chunk.usage) console.log('\\nusage:', chunk.usage);",
    '}',
  ];
  return [
    { id: 'node-plain', language: 'node', streaming: false, code: plain.join('\n') },
    { id: 'node-stream', language: 'node', streaming: true, code: stream.join('\n') },
  ];
}

function curlSnippets(baseUrl: string, model: string, apiKey: string): Snippet[] {
  const command = (streaming: boolean) => {
    const body = [
      '{',
      `    "model": ${literal(model)},`,
      `    "messages": [{"role": "user", "content": ${literal(PROMPT)}}],`,
      `    "max_tokens": ${MAX_TOKENS}${streaming ? ',' : ''}`,
      ...(streaming
        ? ['    "stream": true,', '    "stream_options": {"include_usage": true}']
        : []),
      '  }',
    ].join('\n');
    return [
      `curl${streaming ? ' -N' : ''} ${shellQuote(`${baseUrl}/chat/completions`)} \\`,
      `  -H ${shellQuote(`Authorization: Bearer ${apiKey}`)} \\`,
      `  -H 'Content-Type: application/json' \\`,
      `  -d ${shellQuote(body)}`,
    ].join('\n');
  };
  return [
    { id: 'curl-plain', language: 'curl', streaming: false, code: command(false) },
    { id: 'curl-stream', language: 'curl', streaming: true, code: command(true) },
  ];
}

/** Every snippet, in page order: Python, Node, curl; each plain, then streaming. */
export function buildQuickStartSnippets(input: {
  baseUrl: string;
  model: string;
  apiKey?: string;
}): Snippet[] {
  const apiKey = input.apiKey ?? API_KEY_PLACEHOLDER;
  return [
    ...pythonSnippets(input.baseUrl, input.model, apiKey),
    ...nodeSnippets(input.baseUrl, input.model, apiKey),
    ...curlSnippets(input.baseUrl, input.model, apiKey),
  ];
}
