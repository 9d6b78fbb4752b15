import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import type { UpstreamErrorResponse } from '../provider-adapter.ts';
import { anthropicAdapter } from './index.ts';

const fixtureText = (name: string): Promise<string> =>
  readFile(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');

function response(
  status: number,
  body: string,
  headers: UpstreamErrorResponse['headers'] = {},
): UpstreamErrorResponse {
  return { status, headers, body };
}

test('529 overloaded: retryable, 503 to the client, message and request id kept', async () => {
  const error = anthropicAdapter.mapError(
    response(529, await fixtureText('error-overloaded.json')),
  );
  assert.equal(error.code, 'GW_ERR_UPSTREAM_OVERLOADED');
  assert.equal(error.status, 503);
  assert.equal(error.isRetryable, true);
  assert.equal(error.upstreamStatus, 529);
  assert.equal(error.message, 'Overloaded (upstream request id: req_011CSHoEeqs5C35K2UUqR7Fy)');
});

test('429 keeps its Retry-After delay', async () => {
  const body = await fixtureText('error-rate-limit.json');
  const error = anthropicAdapter.mapError(response(429, body, { 'retry-after': '17' }));
  assert.equal(error.code, 'GW_ERR_UPSTREAM_RATE_LIMITED');
  assert.equal(error.status, 429);
  assert.equal(error.isRetryable, true);
  assert.equal(error.retryAfterSeconds, 17);
  assert.equal(
    error.message,
    'This request would exceed the rate limit for your organization of 50 requests per minute. (upstream request id: req_011RateLimit)',
  );
});

test('400 invalid request is the client’s fault and not retried', async () => {
  const body = await fixtureText('error-invalid-request.json');
  const error = anthropicAdapter.mapError(response(400, body));
  assert.equal(error.code, 'GW_ERR_UPSTREAM_BAD_REQUEST');
  assert.equal(error.status, 400);
  assert.equal(error.isRetryable, false);
  assert.equal(
    error.message,
    'messages.1.content.0.tool_result: unexpected tool_use_id found in tool_result blocks (upstream request id: req_011Invalid)',
  );
});

test('402 billing, 504 timeout and 413 too large', async () => {
  const billing = anthropicAdapter.mapError(response(402, await fixtureText('error-billing.json')));
  assert.equal(billing.code, 'GW_ERR_UPSTREAM_QUOTA');
  assert.equal(billing.status, 502);
  assert.equal(billing.isRetryable, true);

  const timeout = anthropicAdapter.mapError(
    response(
      504,
      '{"type":"error","error":{"type":"timeout_error","message":"Request timed out"}}',
    ),
  );
  assert.equal(timeout.code, 'GW_ERR_UPSTREAM_TIMEOUT');
  assert.equal(timeout.status, 504);
  assert.equal(timeout.isRetryable, true);
  assert.equal(timeout.message, 'Request timed out');

  const tooLarge = anthropicAdapter.mapError(
    response(
      413,
      '{"type":"error","error":{"type":"request_too_large","message":"Request exceeds the maximum allowed number of bytes."}}',
    ),
  );
  assert.equal(tooLarge.code, 'GW_ERR_BODY_TOO_LARGE');
  assert.equal(tooLarge.status, 413);
  assert.equal(tooLarge.isRetryable, false);
});

test('401 and 500 from Anthropic', () => {
  const auth = anthropicAdapter.mapError(
    response(
      401,
      '{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}',
    ),
  );
  assert.equal(auth.code, 'GW_ERR_UPSTREAM_AUTH');
  assert.equal(auth.status, 502);
  const server = anthropicAdapter.mapError(
    response(
      500,
      '{"type":"error","error":{"type":"api_error","message":"Internal server error"}}',
    ),
  );
  assert.equal(server.code, 'GW_ERR_UPSTREAM_SERVER_ERROR');
  assert.equal(server.isRetryable, true);
});

test('bodies that are not Anthropic errors get a short generic message', async () => {
  const html = await fixtureText('error-gateway-html.txt');
  const cases: Array<[number, string]> = [
    [502, html],
    [500, ''],
    [503, '{"message":"no error object"}'],
    [400, '{"type":"error","error":{"type":"invalid_request_error","message":"  "}}'],
  ];
  for (const [status, body] of cases) {
    const error = anthropicAdapter.mapError(response(status, body));
    assert.equal(error.message, `The upstream provider answered with HTTP ${status}.`, body);
  }
  assert.equal(anthropicAdapter.mapError(response(503, '')).status, 503);
});

test('an overlong upstream message is cut', () => {
  const body = JSON.stringify({
    type: 'error',
    error: { type: 'api_error', message: 'x'.repeat(5000) },
  });
  assert.equal(anthropicAdapter.mapError(response(500, body)).message.length, 500);
});
