import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import type { GatewayError } from '../../errors/gateway-error.ts';
import type { UpstreamErrorResponse } from '../provider-adapter.ts';
import { mapOpenAICompatibleError } from './map-openai-compatible-error.ts';

async function response(
  status: number,
  fixtureName: string,
  headers: UpstreamErrorResponse['headers'] = { 'content-type': 'application/json' },
): Promise<UpstreamErrorResponse> {
  const body = await readFile(new URL(`./__fixtures__/${fixtureName}`, import.meta.url), 'utf8');
  return { status, headers, body };
}

function summary(error: GatewayError): Record<string, unknown> {
  return {
    code: error.code,
    status: error.status,
    isRetryable: error.isRetryable,
    retryAfterSeconds: error.retryAfterSeconds,
    upstreamStatus: error.upstreamStatus,
    message: error.message,
  };
}

test('429 rate limit keeps Retry-After and does not echo the organisation', async () => {
  const error = mapOpenAICompatibleError(
    await response(429, 'error-429-rate-limit.json', {
      'retry-after': '2',
      'x-ratelimit-limit-tokens': '30000',
    }),
  );
  assert.deepEqual(summary(error), {
    code: 'GW_ERR_UPSTREAM_RATE_LIMITED',
    status: 429,
    isRetryable: true,
    retryAfterSeconds: 2,
    upstreamStatus: 429,
    message: 'The upstream provider is rate limiting requests (HTTP 429).',
  });
});

test('429 insufficient_quota is an account problem, not a rate limit', async () => {
  const error = mapOpenAICompatibleError(await response(429, 'error-429-insufficient-quota.json'));
  assert.deepEqual(summary(error), {
    code: 'GW_ERR_UPSTREAM_QUOTA',
    status: 502,
    isRetryable: true,
    retryAfterSeconds: undefined,
    upstreamStatus: 429,
    message: 'The upstream provider account has no quota or credit left (HTTP 429).',
  });
});

test('DeepSeek 402 insufficient balance is a quota error', async () => {
  const error = mapOpenAICompatibleError(
    await response(402, 'deepseek-error-402-insufficient-balance.json'),
  );
  assert.equal(error.code, 'GW_ERR_UPSTREAM_QUOTA');
  assert.equal(
    error.message,
    'The upstream provider account has no quota or credit left (HTTP 402).',
  );
});

test('400 context_length_exceeded keeps the upstream message for the client', async () => {
  const error = mapOpenAICompatibleError(
    await response(400, 'error-400-context-length-exceeded.json'),
  );
  assert.deepEqual(summary(error), {
    code: 'GW_ERR_CONTEXT_LENGTH_EXCEEDED',
    status: 400,
    isRetryable: false,
    retryAfterSeconds: undefined,
    upstreamStatus: 400,
    message:
      "This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens. Please reduce the length of the messages.",
  });
});

test('401 never repeats the upstream message, which quotes part of the provider key', async () => {
  const error = mapOpenAICompatibleError(await response(401, 'error-401-invalid-api-key.json'));
  assert.deepEqual(summary(error), {
    code: 'GW_ERR_UPSTREAM_AUTH',
    status: 502,
    isRetryable: true,
    retryAfterSeconds: undefined,
    upstreamStatus: 401,
    message: "The upstream provider rejected the gateway's credentials (HTTP 401).",
  });
  assert.doesNotMatch(error.message, /sk-|Xy9z/);
});

test('500 server error is retryable with a generic message', async () => {
  const error = mapOpenAICompatibleError(await response(500, 'error-500-server-error.json'));
  assert.deepEqual(summary(error), {
    code: 'GW_ERR_UPSTREAM_SERVER_ERROR',
    status: 502,
    isRetryable: true,
    retryAfterSeconds: undefined,
    upstreamStatus: 500,
    message: 'The upstream provider answered with an error (HTTP 500).',
  });
});

test('an HTML 502 from a proxy is named by status, its body never echoed', async () => {
  const error = mapOpenAICompatibleError(
    await response(502, 'error-502-bad-gateway.html', { 'content-type': 'text/html' }),
  );
  assert.deepEqual(summary(error), {
    code: 'GW_ERR_UPSTREAM_SERVER_ERROR',
    status: 502,
    isRetryable: true,
    retryAfterSeconds: undefined,
    upstreamStatus: 502,
    message: 'The upstream provider answered with an error (HTTP 502).',
  });
  const badRequest = mapOpenAICompatibleError({
    status: 400,
    headers: {},
    body: '<html>nope</html>',
  });
  assert.equal(badRequest.code, 'GW_ERR_UPSTREAM_BAD_REQUEST');
  assert.equal(badRequest.message, 'The upstream provider answered with an error (HTTP 400).');
});

test('other servers’ error shapes: vLLM, FastAPI detail, plain string, Azure content filter', () => {
  const map = (status: number, body: unknown) =>
    mapOpenAICompatibleError({ status, headers: {}, body: JSON.stringify(body) });
  const vllm = map(400, {
    object: 'error',
    message: "'messages' must contain at least one message",
    type: 'BadRequestError',
    param: null,
    code: 400,
  });
  assert.equal(vllm.code, 'GW_ERR_UPSTREAM_BAD_REQUEST');
  assert.equal(vllm.message, "'messages' must contain at least one message");
  const fastapi = map(422, { detail: 'Unprocessable: temperature must be <= 2' });
  assert.equal(fastapi.message, 'Unprocessable: temperature must be <= 2');
  const plain = map(400, { error: 'model is required' });
  assert.equal(plain.message, 'model is required');
  const filtered = map(400, {
    error: {
      message: 'The response was filtered.',
      type: null,
      param: 'prompt',
      code: 'content_filter',
    },
  });
  assert.equal(filtered.code, 'GW_ERR_UPSTREAM_CONTENT_FILTERED');
  assert.equal(filtered.message, 'The response was filtered.');
  const notFound = map(404, {
    error: {
      message: 'The model `gpt-9` does not exist',
      type: 'invalid_request_error',
      code: 'model_not_found',
    },
  });
  assert.equal(notFound.code, 'GW_ERR_UPSTREAM_NOT_FOUND');
  assert.equal(
    notFound.message,
    'The upstream provider does not know the requested model or endpoint (HTTP 404).',
  );
  // Ollama at a baseUrl without /v1: Go's plain-text 404 for a path it does not serve.
  const noEndpoint = mapOpenAICompatibleError({
    status: 404,
    headers: {},
    body: '404 page not found',
  });
  assert.equal(noEndpoint.code, 'GW_ERR_UPSTREAM_NOT_FOUND');
  assert.match(noEndpoint.message, /check this provider's baseUrl .*under \/v1/);
  const overloaded = map(503, { error: { message: 'busy' } });
  assert.equal(overloaded.code, 'GW_ERR_UPSTREAM_OVERLOADED');
  assert.equal(overloaded.status, 503);
});

test('a long upstream message is cut to 500 characters', () => {
  const error = mapOpenAICompatibleError({
    status: 400,
    headers: {},
    body: JSON.stringify({ error: { message: 'x'.repeat(2000), type: 'invalid_request_error' } }),
  });
  assert.equal(error.message, `${'x'.repeat(500)}…`);
});

test("self-hosted servers' context overflows are context_length_exceeded: vLLM by its message, llama.cpp by its type", () => {
  const map = (status: number, body: unknown) =>
    mapOpenAICompatibleError({ status, headers: {}, body: JSON.stringify(body) });
  const overflows = [
    // vLLM: the output cap does not fit beside the prompt.
    {
      error: {
        message:
          "'max_tokens' or 'max_completion_tokens' is too large: 8000. This model's maximum context length is 4096 tokens and your request has 2778 input tokens (8000 > 4096 - 2778). None",
        type: 'BadRequestError',
        param: null,
        code: 400,
      },
    },
    // Older vLLM, top-level error object.
    {
      object: 'error',
      message:
        "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (4000 in the messages, 1000 in the completion). Please reduce the length of the messages or completion.",
      type: 'BadRequestError',
      param: null,
      code: 400,
    },
    // llama.cpp's server (also behind Ollama's newer engine).
    {
      error: {
        code: 400,
        message:
          'request (9412 tokens) exceeds the available context size (8192 tokens), try increasing it',
        type: 'exceed_context_size_error',
      },
    },
  ];
  for (const body of overflows) {
    const error = map(400, body);
    assert.equal(error.code, 'GW_ERR_CONTEXT_LENGTH_EXCEEDED', JSON.stringify(body));
    assert.equal(error.status, 400);
    assert.match(error.message, /context (length|size)/);
  }
  const other = map(400, {
    object: 'error',
    message: "'messages' must contain at least one message",
    type: 'BadRequestError',
    code: 400,
  });
  assert.equal(other.code, 'GW_ERR_UPSTREAM_BAD_REQUEST');
});
