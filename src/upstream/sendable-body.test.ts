import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EncodedUpstreamRequest } from './encode-upstream-request.ts';
import { ONE_SHOT_BODY_MIN_BYTES, oneShotIterable, sendableBody } from './sendable-body.ts';

function requestWith(bytes: number): EncodedUpstreamRequest {
  return {
    url: 'http://127.0.0.1:1/v1/chat/completions',
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer k' },
    body: Buffer.alloc(bytes, 0x61),
    stream: true,
  };
}

test('a body under the threshold goes as it is, headers and bytes the same objects', () => {
  const request = requestWith(ONE_SHOT_BODY_MIN_BYTES - 1);
  const sendable = sendableBody(request);
  assert.equal(sendable.body, request.body);
  assert.equal(sendable.headers, request.headers);
});

test('a body at the threshold goes once, as an iterable, with its length declared', () => {
  const request = requestWith(ONE_SHOT_BODY_MIN_BYTES);
  const sendable = sendableBody(request);
  assert.ok(!(sendable.body instanceof Uint8Array));
  assert.deepEqual([...sendable.body], [request.body]);
  assert.deepEqual([...sendable.body], [], 'a second reading gets nothing');
  assert.deepEqual(sendable.headers, {
    'content-type': 'application/json',
    authorization: 'Bearer k',
    'content-length': String(ONE_SHOT_BODY_MIN_BYTES),
  });
  assert.equal(
    request.headers['content-length'],
    undefined,
    "the request's own headers are left alone",
  );
});

test('a one-shot iterable hands over its bytes exactly once, however it is read', () => {
  const bytes = new Uint8Array([1, 2, 3]);
  const iterable = oneShotIterable(bytes);
  const iterator = iterable[Symbol.iterator]();
  assert.deepEqual(iterator.next(), { done: false, value: bytes });
  assert.deepEqual(iterator.next(), { done: true, value: undefined });
  assert.deepEqual([...iterable], []);
});
