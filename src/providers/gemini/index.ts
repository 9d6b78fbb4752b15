import type { ProviderAdapter } from '../provider-adapter.ts';
import { buildGeminiRequest } from './build-gemini-request.ts';
import { createGeminiStreamMapper } from './create-gemini-stream-mapper.ts';
import { mapGeminiError } from './map-gemini-error.ts';
import { mapGeminiResponse } from './map-gemini-response.ts';
import { mapGeminiStream } from './map-gemini-stream.ts';

/** The Gemini API (`generateContent` / `streamGenerateContent`) adapter. */
export const geminiAdapter: ProviderAdapter = {
  type: 'gemini',
  buildRequest: buildGeminiRequest,
  mapResponse: mapGeminiResponse,
  mapStream: mapGeminiStream,
  createStreamMapper: createGeminiStreamMapper,
  mapError: mapGeminiError,
};
