import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import type { GatewayError } from '../../errors/gateway-error.ts';
import type { UpstreamErrorResponse } from '../provider-adapter.ts';
import { mapGeminiError } from './map-gemini-error.ts';

async function fixtureResponse(
  status: number,
  name: string,
  headers: UpstreamErrorResponse['headers'] = {},
): Promise<UpstreamErrorResponse> {
  const body = await readFile(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
  return {
    status,
    headers: { 'content-type': 'application/json; charset=UTF-8', ...headers },
    body,
  };
}

function summary(error: GatewayError) {
  return {
    code: error.code,
    status: error.status,
    retryable: error.isRetryable,
    retryAfterSeconds: error.retryAfterSeconds,
    upstreamStatus: error.upstreamStatus,
    message: error.message,
  };
}

test('429 RESOURCE_EXHAUSTED: rate limited, delay from the body RetryInfo', async () => {
  const error = mapGeminiError(await fixtureResponse(429, 'error-429-retry-info.json'));
  assert.deepEqual(summary(error), {
    code: 'GW_ERR_UPSTREAM_RATE_LIMITED',
    status: 429,
    retryable: true,
    retryAfterSeconds: 1.5,
    upstreamStatus: 429,
    message:
      'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.',
  });
});

test('retryDelay durations in whole and fractional seconds', () => {
  for (const [retryDelay, seconds] of [
    ['1s', 1],
    ['0.5s', 0.5],
    ['43s', 43],
    ['1.500s', 1.5],
  ] as const) {
    const error = mapGeminiError({
      status: 429,
      headers: {},
      body: JSON.stringify({
        error: {
          code: 429,
          message: 'Resource has been exhausted (e.g. check quota).',
          status: 'RESOURCE_EXHAUSTED',
          details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay }],
        },
      }),
    });
    assert.equal(error.retryAfterSeconds, seconds, retryDelay);
  }
});

test('without RetryInfo a Retry-After header is used, and a bad delay is ignored', () => {
  const body = (details: unknown[]) =>
    JSON.stringify({
      error: { code: 429, message: 'slow down', status: 'RESOURCE_EXHAUSTED', details },
    });
  assert.equal(
    mapGeminiError({ status: 429, headers: { 'retry-after': '7' }, body: body([]) })
      .retryAfterSeconds,
    7,
  );
  assert.equal(
    mapGeminiError({
      status: 429,
      headers: {},
      body: body([
        'not an object',
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: 'soon' },
      ]),
    }).retryAfterSeconds,
    undefined,
  );
});

test('400 INVALID_ARGUMENT is the client request, not retried', async () => {
  assert.deepEqual(
    summary(mapGeminiError(await fixtureResponse(400, 'error-400-invalid-argument.json'))),
    {
      code: 'GW_ERR_UPSTREAM_BAD_REQUEST',
      status: 400,
      retryable: false,
      retryAfterSeconds: undefined,
      upstreamStatus: 400,
      message: '* GenerateContentRequest.contents: contents is not specified',
    },
  );
});

test('400 API_KEY_INVALID is the provider key, not the client: upstream auth, retryable', async () => {
  assert.deepEqual(
    summary(mapGeminiError(await fixtureResponse(400, 'error-400-api-key-invalid.json'))),
    {
      code: 'GW_ERR_UPSTREAM_AUTH',
      status: 502,
      retryable: true,
      retryAfterSeconds: undefined,
      upstreamStatus: 400,
      message: 'API key not valid. Please pass a valid API key.',
    },
  );
});

test('403 PERMISSION_DENIED maps to permission; a suspended consumer key is redacted', async () => {
  assert.deepEqual(
    summary(mapGeminiError(await fixtureResponse(403, 'error-403-permission-denied.json'))),
    {
      code: 'GW_ERR_UPSTREAM_PERMISSION',
      status: 403,
      retryable: false,
      retryAfterSeconds: undefined,
      upstreamStatus: 403,
      message:
        "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
    },
  );
  const suspended = mapGeminiError(await fixtureResponse(403, 'error-403-consumer-suspended.json'));
  assert.deepEqual(summary(suspended), {
    code: 'GW_ERR_UPSTREAM_AUTH',
    status: 502,
    retryable: true,
    retryAfterSeconds: undefined,
    upstreamStatus: 403,
    message: "Permission denied: Consumer 'api_key:[redacted]' has been suspended.",
  });
  assert.equal(suspended.message.includes('canary'), false);
});

test('500 INTERNAL is a retryable server error', async () => {
  assert.deepEqual(summary(mapGeminiError(await fixtureResponse(500, 'error-500-internal.json'))), {
    code: 'GW_ERR_UPSTREAM_SERVER_ERROR',
    status: 502,
    retryable: true,
    retryAfterSeconds: undefined,
    upstreamStatus: 500,
    message:
      'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
  });
});

test('an error wrapped in a one-element array is read the same way', async () => {
  assert.deepEqual(
    summary(mapGeminiError(await fixtureResponse(404, 'error-404-array-wrapped.json'))),
    {
      code: 'GW_ERR_UPSTREAM_NOT_FOUND',
      status: 502,
      retryable: true,
      retryAfterSeconds: undefined,
      upstreamStatus: 404,
      message:
        'models/gemini-0.9-nano is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.',
    },
  );
});

test('a body that is not a Gemini error gets a short generic message', () => {
  for (const body of ['<html><body>502 Bad Gateway</body></html>', '', '{"message":"x"}', '[]']) {
    const error = mapGeminiError({ status: 503, headers: {}, body });
    assert.deepEqual(
      summary(error),
      {
        code: 'GW_ERR_UPSTREAM_OVERLOADED',
        status: 503,
        retryable: true,
        retryAfterSeconds: undefined,
        upstreamStatus: 503,
        message: 'The Gemini API answered with HTTP 503.',
      },
      body,
    );
  }
});

test('a long message is cut to 500 characters', () => {
  const error = mapGeminiError({
    status: 400,
    headers: {},
    body: JSON.stringify({
      error: { code: 400, message: 'x'.repeat(2000), status: 'INVALID_ARGUMENT' },
    }),
  });
  assert.equal(error.message, 'x'.repeat(500));
});
