import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { UpstreamHttpRequest } from '../providers/provider-adapter.ts';
import { encodeUpstreamRequest } from './encode-upstream-request.ts';

test('the body becomes its UTF-8 bytes; everything else is the adapter’s', () => {
  const built: UpstreamHttpRequest = {
    url: 'http://127.0.0.1:9/v1/chat/completions',
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer k' },
    body: '{"messages":[{"role":"user","content":"요약해 줘 🐑"}]}',
    stream: true,
  };
  const encoded = encodeUpstreamRequest(built);
  assert.deepEqual(
    { ...encoded, body: new TextDecoder('utf-8', { fatal: true }).decode(encoded.body) },
    built,
  );
  assert.equal(encoded.body.byteLength, Buffer.byteLength(built.body));
  assert.equal(encoded.headers, built.headers, 'the headers object is shared, not copied');
});
