/**
 * What the body parser's nesting limit costs, the parser's own work alone (no gateway, no HTTP):
 *
 *   node --import tsx bench/measure-nesting-check.ts
 *
 * For chat bodies of about 1, 10 and 100 KiB (messages, tool calls, tools with nested JSON
 * schemas; and one of many short messages, the most containers per byte), it prints the time of
 * JSON.parse, of the walk over the parsed value that `parseJsonBody` runs (`nestsDeeperThan`), and
 * of the alternative it was chosen over: a second pass over the bytes counting brackets outside
 * strings. Then the walk on a 10^5-deep bomb (it stops at the limit) and on a 10^6-element array.
 * Means per call over many calls after a warm-up; compare runs on the same machine only.
 */
import { MAX_JSON_NESTING_DEPTH } from '../src/server/parse-json-body.ts';
import { nestsDeeperThan } from '../src/util/nests-deeper-than.ts';

const words = (count: number) =>
  Array.from({ length: count }, (_, index) => `word${index % 97}`).join(' ');

/** A JSON schema of nested objects, `depth` levels, each with an array beside it. */
function schema(depth: number): unknown {
  if (depth === 0) return { type: 'string', description: 'a leaf' };
  const items = schema(Math.min(depth - 1, 1));
  return {
    type: 'object',
    properties: { a: schema(depth - 1), b: { type: 'array', items } },
    required: ['a'],
  };
}

function chatBody(options: { turns: number; wordsPerMessage: number; tools: number }): string {
  const { turns, wordsPerMessage, tools } = options;
  const messages: unknown[] = [{ role: 'system', content: words(wordsPerMessage) }];
  for (let turn = 0; turn < turns; turn += 1) {
    messages.push({ role: 'user', content: words(wordsPerMessage) });
    if (turn % 3 === 0) {
      const call = { id: `c${turn}`, type: 'function', function: { name: 'f', arguments: '{}' } };
      messages.push({ role: 'assistant', content: null, tool_calls: [call] });
      messages.push({ role: 'tool', tool_call_id: `c${turn}`, content: words(wordsPerMessage) });
    } else messages.push({ role: 'assistant', content: words(wordsPerMessage) });
  }
  const toolList = Array.from({ length: tools }, (_, index) => ({
    type: 'function',
    function: { name: `tool${index}`, description: words(20), parameters: schema(4) },
  }));
  return JSON.stringify({ model: 'gpt-4.1', stream: true, messages, tools: toolList });
}

/** The alternative: depth from the bytes, brackets counted outside strings. */
function bytesNestDeeperThan(bytes: Buffer, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < bytes.length; index += 1) {
    const byte = bytes[index];
    if (inString) {
      if (byte === 0x5c) index += 1;
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x5b || byte === 0x7b) {
      depth += 1;
      if (depth > limit) return true;
    } else if (byte === 0x5d || byte === 0x7d) depth -= 1;
  }
  return false;
}

/** Keeps results alive so no call is optimised away. */
let sink = 0;

/** Mean microseconds per call, after a tenth as many unmeasured calls. */
function microsecondsPerCall(run: () => unknown, calls: number): number {
  for (let index = 0; index < calls / 10; index += 1) sink += run() === undefined ? 0 : 1;
  const started = process.hrtime.bigint();
  for (let index = 0; index < calls; index += 1) sink += run() === undefined ? 0 : 1;
  return Number(process.hrtime.bigint() - started) / calls / 1000;
}

const limit = MAX_JSON_NESTING_DEPTH;
const bodies: Array<[string, string]> = [
  ['2 messages', chatBody({ turns: 0, wordsPerMessage: 130, tools: 0 })],
  ['27 messages, 1 tool', chatBody({ turns: 8, wordsPerMessage: 70, tools: 1 })],
  ['62 messages, 8 tools', chatBody({ turns: 20, wordsPerMessage: 320, tools: 8 })],
  ['2101 short messages', chatBody({ turns: 700, wordsPerMessage: 3, tools: 0 })],
];
for (const [name, text] of bodies) {
  const calls = text.length > 50_000 ? 2_000 : 20_000;
  const bytes = Buffer.from(text);
  const value: unknown = JSON.parse(text);
  const parse = microsecondsPerCall(() => JSON.parse(text), calls);
  const walk = microsecondsPerCall(() => nestsDeeperThan(value, limit), calls);
  const scan = microsecondsPerCall(() => bytesNestDeeperThan(bytes, limit), calls);
  const share = (part: number) => `${((part / parse) * 100).toFixed(0)} % of the parse`;
  console.log(
    `${name} (${(bytes.length / 1024).toFixed(1)} KiB): JSON.parse ${parse.toFixed(2)} µs, ` +
      `walk ${walk.toFixed(2)} µs (${share(walk)}), byte scan ${scan.toFixed(2)} µs (${share(scan)})`,
  );
}
const bomb: unknown = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000));
const bombWalk = microsecondsPerCall(() => nestsDeeperThan(bomb, limit), 20_000);
console.log(`10^5-deep bomb: walk ${bombWalk.toFixed(2)} µs (stops at the limit)`);
const wideText = `[${'1,'.repeat(999_999)}1]`;
const wide: unknown = JSON.parse(wideText);
const wideParse = microsecondsPerCall(() => JSON.parse(wideText), 20);
const wideWalk = microsecondsPerCall(() => nestsDeeperThan(wide, limit), 20);
console.log(
  `10^6-element array: JSON.parse ${(wideParse / 1000).toFixed(1)} ms, walk ${(wideWalk / 1000).toFixed(1)} ms`,
);
if (sink < 0) console.log(sink);
