import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../../errors/gateway-error.ts';
import { encodeOpenaiError } from './encode-openai-error.ts';

describe('encodeOpenaiError', () => {
  it('encodes a client error with its param and no headers', () => {
    const error = new GatewayError('GW_ERR_INVALID_REQUEST', '`max_tokens` must be an integer', {
      param: 'max_tokens',
    });
    assert.deepEqual(encodeOpenaiError(error), {
      status: 400,
      body: {
        error: {
          message: '`max_tokens` must be an integer',
          type: 'invalid_request_error',
          param: 'max_tokens',
          code: 'invalid_request',
        },
      },
      headers: {},
    });
  });

  it('sends param null and a whole-second Retry-After for a rate limit', () => {
    const error = new GatewayError('GW_ERR_UPSTREAM_RATE_LIMITED', 'Slow down.', {
      retryAfterSeconds: 1.2,
    });
    assert.deepEqual(encodeOpenaiError(error), {
      status: 429,
      body: {
        error: {
          message: 'Slow down.',
          type: 'rate_limit_error',
          param: null,
          code: 'rate_limit_exceeded',
        },
      },
      headers: { 'Retry-After': '2' },
    });
  });

  it('keeps a status override and sends Retry-After 0 as 0', () => {
    const error = new GatewayError('GW_ERR_UPSTREAM_OVERLOADED', 'Busy.', {
      status: 529,
      retryAfterSeconds: 0,
    });
    const encoded = encodeOpenaiError(error);
    assert.equal(encoded.status, 529);
    assert.deepEqual(encoded.headers, { 'Retry-After': '0' });
    assert.deepEqual(encoded.body.error, {
      message: 'Busy.',
      type: 'server_error',
      param: null,
      code: 'upstream_overloaded',
    });
  });
});
