import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitAtRandomOffsets } from '../../test/helpers/replay-fixture.ts';
import { createSseDecoder } from './create-sse-decoder.ts';
import type { SseMessage } from './sse-message.ts';

function decodePieces(pieces: Array<Uint8Array | string>): SseMessage[] {
  const decoder = createSseDecoder();
  const messages: SseMessage[] = [];
  for (const piece of pieces) messages.push(...decoder.push(piece));
  messages.push(...decoder.end());
  return messages;
}

const encoder = new TextEncoder();

test('a leading byte order mark is dropped once, even split across chunks', () => {
  const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...encoder.encode('data: a\n\n')]);
  const expected = [{ event: undefined, data: 'a' }];
  assert.deepEqual(decodePieces([bytes]), expected);
  assert.deepEqual(decodePieces([bytes.subarray(0, 1), bytes.subarray(1)]), expected);
  assert.deepEqual(decodePieces([bytes.subarray(0, 3), bytes.subarray(3)]), expected);
  // Only the stream's first character is a BOM to drop; later ones are data.
  assert.deepEqual(decodePieces([encoder.encode('data: \uFEFFb\n\n')]), [
    { event: undefined, data: '\uFEFFb' },
  ]);
  assert.deepEqual(decodePieces([encoder.encode('\uFEFF\uFEFFdata: c\n\n')]), []);
});

test('any split of valid and invalid UTF-8 decodes as one streaming TextDecoder would', () => {
  const body = new Uint8Array([
    ...encoder.encode('data: 한국어 😀 é\n\ndata: '),
    0xe2,
    0x82,
    0x41,
    0xf0,
    0x80,
    0x80,
    0xc3,
    0x28,
    0xff,
    0xed,
    0xa0,
    0x80,
    ...encoder.encode(' tail 😀\n\ndata: cut '),
    0xf0,
    0x9f,
  ]);
  const reference = new TextDecoder().decode(body);
  const expected = decodePieces([reference]);
  assert.equal(expected.length, 2);
  for (let seed = 1; seed <= 200; seed += 1) {
    assert.deepEqual(decodePieces(splitAtRandomOffsets(body, seed)), expected, `seed ${seed}`);
  }
  // A sequence cut by the end of input is one replacement character, as the spec's decoder gives.
  const cut = createSseDecoder();
  assert.deepEqual(cut.push(encoder.encode('data: x')), []);
  assert.deepEqual(cut.push(new Uint8Array([0xf0, 0x9f])), []);
  assert.deepEqual(cut.push(encoder.encode('\n')), []);
  assert.deepEqual(cut.end(), []);
  const flushed = createSseDecoder();
  flushed.push(encoder.encode('data: y\n\n'));
  flushed.push(new Uint8Array([0xf0, 0x9f]));
  assert.deepEqual(flushed.end(), []);
});

test('each push returns exactly the messages its chunk completes', () => {
  const decoder = createSseDecoder();
  assert.deepEqual(decoder.push('event: a\ndata: 1\n\ndata: 2'), [{ event: 'a', data: '1' }]);
  assert.deepEqual(decoder.push('\n'), []);
  assert.deepEqual(decoder.push('\r\n: comment\r\ndata: 3\r'), [{ event: undefined, data: '2' }]);
  assert.deepEqual(decoder.push('\n\r\n'), [{ event: undefined, data: '3' }]);
  assert.deepEqual(decoder.push('data:4\ndata\ndatax: 5\nevents: 6\n\n'), [
    { event: undefined, data: '4\n' },
  ]);
  assert.deepEqual(decoder.end(), []);
});
