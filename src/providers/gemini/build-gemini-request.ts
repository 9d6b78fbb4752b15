import type { ChatRequest } from '../../canonical/chat-request.ts';
import { checkMaxOutputTokens } from '../check-max-output-tokens.ts';
import { firstUnforwardableField } from '../first-unforwardable-field.ts';
import { unsupportedParameter } from '../map-upstream-status.ts';
import { outputCapWhenUnset } from '../output-cap-when-unset.ts';
import type { BuildRequestInput, UpstreamHttpRequest } from '../provider-adapter.ts';
import { buildGeminiContents } from './build-gemini-contents.ts';
import { buildGeminiGenerationConfig } from './build-gemini-generation-config.ts';
import { buildGeminiTools } from './build-gemini-tools.ts';
import type { GeminiRequestBody } from './gemini-request-body.ts';

export const GEMINI_PROVIDER_LABEL = 'Gemini';

/**
 * Builds a `generateContent` call, or `streamGenerateContent?alt=sse` when streaming. The base URL
 * is the API root without `/v1beta` (the @google/genai convention); a configured `/v1beta` suffix
 * is tolerated. The key goes in `x-goog-api-key`, never in the URL, where logs and error messages
 * would carry it. Gemini reports usage on every answer, so nothing is needed to ask for it.
 *
 * `user` is accepted and not forwarded: it is an end-user id for the provider's abuse tracking,
 * not a generation parameter, Gemini has no such field, and the gateway already records which key
 * made the call. `parallel_tool_calls: true` is Gemini's behaviour already; `false` cannot be
 * honoured and is refused, as is every passthrough field but OpenAI's answer-neutral ones
 * (`store`, `metadata`, …: see `first-unforwardable-field.ts`), which are left out like `user`.
 *
 * @see https://ai.google.dev/api/generate-content
 */
export function buildGeminiRequest(input: BuildRequestInput): UpstreamHttpRequest {
  const { request, connection } = input;
  rejectUnsupported(request);
  checkMaxOutputTokens(request.maxOutputTokens, input.catalogMaxOutputTokens);
  const { systemInstruction, contents } = buildGeminiContents(request.messages);
  const body: GeminiRequestBody = { contents };
  if (systemInstruction.length > 0) body.systemInstruction = { parts: systemInstruction };
  Object.assign(body, buildGeminiTools(request));
  const generationConfig = buildGeminiGenerationConfig(request, outputCapWhenUnset(input));
  if (generationConfig !== undefined) body.generationConfig = generationConfig;

  const root = connection.baseUrl.replace(/\/+$/, '').replace(/\/v1beta$/, '');
  const model = encodeURIComponent(input.upstreamModel.replace(/^models\//, ''));
  const method = request.stream ? 'streamGenerateContent?alt=sse' : 'generateContent';
  const headers: Record<string, string> = Object.assign({}, connection.headers, {
    'content-type': 'application/json',
  });
  if (connection.apiKey !== '') headers['x-goog-api-key'] = connection.apiKey;
  return {
    url: `${root}/v1beta/models/${model}:${method}`,
    method: 'POST',
    headers,
    body: JSON.stringify(body),
    stream: request.stream,
  };
}

/**
 * Gemini 2.5 models answer a penalty with 400 "Penalty is not enabled", so a non-zero
 * `frequency_penalty` / `presence_penalty` is refused; 0 is OpenAI's neutral default (some clients
 * always send it) and is treated as absent.
 */
function rejectUnsupported(request: ChatRequest): void {
  if (request.frequencyPenalty !== undefined && request.frequencyPenalty !== 0) {
    throw unsupportedParameter('frequency_penalty', GEMINI_PROVIDER_LABEL);
  }
  if (request.presencePenalty !== undefined && request.presencePenalty !== 0) {
    throw unsupportedParameter('presence_penalty', GEMINI_PROVIDER_LABEL);
  }
  if (request.parallelToolCalls === false) {
    throw unsupportedParameter('parallel_tool_calls', GEMINI_PROVIDER_LABEL);
  }
  // OpenAI's answer-neutral fields are left out; any other would be dropped unheard.
  const passthroughName = firstUnforwardableField(request.passthrough);
  if (passthroughName !== undefined) {
    throw unsupportedParameter(passthroughName, GEMINI_PROVIDER_LABEL);
  }
}
