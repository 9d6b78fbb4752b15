import assert from 'node:assert/strict';
import { test } from 'node:test';
import { iterate, splitAtRandomOffsets } from '../../test/helpers/replay-fixture.ts';
import { decodeSse } from './decode-sse.ts';
import type { SseMessage } from './sse-message.ts';

async function decodeAll(pieces: Array<Uint8Array | string>): Promise<SseMessage[]> {
  const messages: SseMessage[] = [];
  for await (const message of decodeSse(iterate(pieces))) messages.push(message);
  return messages;
}

const encoder = new TextEncoder();

test('decodes data lines, event names, comments and multi-line data', async () => {
  const text =
    ': keep-alive\n\nevent: ping\ndata: {"type":"ping"}\n\ndata: a\ndata: b\n\nid: 7\nretry: 10\ndata:no-space\n\n';
  assert.deepEqual(await decodeAll([text]), [
    { event: 'ping', data: '{"type":"ping"}' },
    { event: undefined, data: 'a\nb' },
    { event: undefined, data: 'no-space' },
  ]);
});

test('CRLF, CR and LF line endings decode alike, split anywhere', async () => {
  const lf = 'event: x\ndata: {"a":"한국어 😀"}\n\ndata: [DONE]\n\n';
  const expected = await decodeAll([lf]);
  assert.equal(expected.length, 2);
  for (const variant of [lf, lf.replaceAll('\n', '\r\n'), lf.replaceAll('\n', '\r')]) {
    const bytes = encoder.encode(variant);
    for (let seed = 1; seed <= 50; seed += 1) {
      assert.deepEqual(
        await decodeAll(splitAtRandomOffsets(bytes, seed)),
        expected,
        `seed ${seed}`,
      );
    }
  }
});

test('a CR at the end of one chunk and LF at the start of the next is one line break', async () => {
  const messages = await decodeAll(['data: one\r', '\n\r', '\ndata: two\r\n\r\n']);
  assert.deepEqual(messages, [
    { event: undefined, data: 'one' },
    { event: undefined, data: 'two' },
  ]);
});

test('an event cut before its blank line is discarded at end of input', async () => {
  assert.deepEqual(await decodeAll(['data: {"a":1}\n\ndata: {"done":tr']), [
    { event: undefined, data: '{"a":1}' },
  ]);
  assert.deepEqual(await decodeAll(['data: {"a":1}\n\ndata: {"done":true}\n']), [
    { event: undefined, data: '{"a":1}' },
  ]);
});

test('blank lines without data dispatch nothing', async () => {
  assert.deepEqual(await decodeAll(['\n\n\r\n: c\n\n']), []);
});
