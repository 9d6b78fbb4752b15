import type { ProviderAdapter } from '../provider-adapter.ts';
import { buildOpenAICompatibleRequest } from './build-openai-compatible-request.ts';
import { createOpenAICompatibleStreamMapper } from './create-openai-compatible-stream-mapper.ts';
import { mapOpenAICompatibleError } from './map-openai-compatible-error.ts';
import { mapOpenAICompatibleResponse } from './map-openai-compatible-response.ts';
import { mapOpenAICompatibleStream } from './map-openai-compatible-stream.ts';
import type { OpenAICompatibleOptions } from './openai-compatible-options.ts';

/** One adapter for any `/chat/completions` server; `options` hold the few ways servers differ. */
export function createOpenAICompatibleAdapter(options: OpenAICompatibleOptions): ProviderAdapter {
  return {
    type: options.type,
    buildRequest: (input) => buildOpenAICompatibleRequest(input, options),
    mapResponse: mapOpenAICompatibleResponse,
    mapStream: mapOpenAICompatibleStream,
    createStreamMapper: createOpenAICompatibleStreamMapper,
    mapError: mapOpenAICompatibleError,
  };
}
