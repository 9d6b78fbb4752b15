import type { ProviderAdapter } from '../provider-adapter.ts';
import { buildAnthropicRequest } from './build-anthropic-request.ts';
import { createAnthropicStreamMapper } from './create-anthropic-stream-mapper.ts';
import { mapAnthropicError } from './map-anthropic-error.ts';
import { mapAnthropicResponse } from './map-anthropic-response.ts';
import { mapAnthropicStream } from './map-anthropic-stream.ts';

/** The Anthropic Messages API (`POST /v1/messages`), and servers that speak it. */
export const anthropicAdapter: ProviderAdapter = {
  type: 'anthropic',
  buildRequest: buildAnthropicRequest,
  mapResponse: mapAnthropicResponse,
  mapStream: mapAnthropicStream,
  createStreamMapper: createAnthropicStreamMapper,
  mapError: mapAnthropicError,
};
