import type { ChatRequest } from '../../canonical/chat-request.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import { checkMaxOutputTokens } from '../check-max-output-tokens.ts';
import { firstUnforwardableField } from '../first-unforwardable-field.ts';
import { unsupportedParameter } from '../map-upstream-status.ts';
import { outputCapWhenUnset } from '../output-cap-when-unset.ts';
import type { BuildRequestInput, UpstreamHttpRequest } from '../provider-adapter.ts';
import type { AnthropicRequestBody } from './anthropic-request-body.ts';
import { buildAnthropicMessages } from './build-anthropic-messages.ts';
import { buildAnthropicThinking, rejectThinkingConflicts } from './build-anthropic-thinking.ts';
import { buildAnthropicToolFields } from './build-anthropic-tool-fields.ts';

/** The API version whose wire format this adapter implements. */
export const ANTHROPIC_VERSION = '2023-06-01';

export const ANTHROPIC_PROVIDER_LABEL = 'Anthropic';

/**
 * Builds a Messages API call. `connection.baseUrl` is the host root without `/v1`, as in the
 * Anthropic SDKs (`https://api.anthropic.com`). Anthropic always reports usage, streaming
 * included, so nothing needs asking for.
 *
 * @see https://docs.anthropic.com/en/api/messages
 */
export function buildAnthropicRequest(input: BuildRequestInput): UpstreamHttpRequest {
  const { request, connection } = input;
  rejectUnsupportedParameters(request);
  rejectThinkingConflicts(request, ANTHROPIC_PROVIDER_LABEL);
  checkMaxOutputTokens(request.maxOutputTokens, input.catalogMaxOutputTokens);
  // Anthropic requires `max_tokens`. When the client set no limit, the cap the pipeline held for
  // is sent, else the model's maximum output from the catalogue: a limit the operator declared,
  // not a default made up here. A cap too small for thinking is refused by the thinking rules.
  const maxTokens =
    request.maxOutputTokens ?? outputCapWhenUnset(input) ?? input.catalogMaxOutputTokens;
  const { system, messages } = buildAnthropicMessages(request.messages);
  const body: AnthropicRequestBody = {
    model: input.upstreamModel,
    max_tokens: maxTokens,
    messages,
    ...buildAnthropicToolFields(request),
  };
  if (system.length > 0) body.system = system;
  const stopSequences = anthropicStopSequences(request.stop);
  if (stopSequences.length > 0) body.stop_sequences = stopSequences;
  if (request.temperature !== undefined) body.temperature = checkTemperature(request.temperature);
  // `top_p: 1` truncates nothing (Claude's default), and chat UIs send it on every call; Claude
  // Sonnet 4.5, Haiku 4.5 and Opus 4.1 refuse it beside `temperature` ("cannot both be specified").
  if (request.topP !== undefined && request.topP !== 1) body.top_p = request.topP;
  if (request.user !== undefined) body.metadata = { user_id: request.user };
  const thinking = buildAnthropicThinking(request.reasoningEffort, maxTokens);
  if (thinking !== undefined) body.thinking = thinking;
  if (request.stream) body.stream = true;

  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'anthropic-version': ANTHROPIC_VERSION,
  };
  if (connection.apiKey !== '') headers['x-api-key'] = connection.apiKey;
  return {
    url: `${connection.baseUrl}/v1/messages`,
    method: 'POST',
    headers: Object.assign(headers, connection.headers),
    body: JSON.stringify(body),
    stream: request.stream,
  };
}

/**
 * Penalties of 0 are OpenAI's neutral default (some clients always send them), so only a value
 * that would change the output is refused.
 */
function rejectUnsupportedParameters(request: ChatRequest): void {
  if (request.seed !== undefined) throw unsupportedParameter('seed', ANTHROPIC_PROVIDER_LABEL);
  if (request.frequencyPenalty !== undefined && request.frequencyPenalty !== 0) {
    throw unsupportedParameter('frequency_penalty', ANTHROPIC_PROVIDER_LABEL);
  }
  if (request.presencePenalty !== undefined && request.presencePenalty !== 0) {
    throw unsupportedParameter('presence_penalty', ANTHROPIC_PROVIDER_LABEL);
  }
  if (request.responseFormat !== undefined && request.responseFormat.type !== 'text') {
    throw unsupportedParameter('response_format', ANTHROPIC_PROVIDER_LABEL);
  }
  // Passthrough fields are meant for OpenAI-compatible servers; what they would mean here is
  // unknown (even a same-named Anthropic field may differ), so none is forwarded, and all but
  // OpenAI's answer-neutral ones are refused.
  const unknownField = firstUnforwardableField(request.passthrough);
  if (unknownField !== undefined) {
    throw unsupportedParameter(unknownField, ANTHROPIC_PROVIDER_LABEL);
  }
}

/**
 * Anthropic refuses a stop sequence without non-whitespace (400), and clients commonly send
 * `stop: "\n"`. Such entries are left out rather than refused: Claude answers in whole turns, so a
 * whitespace stop would at most have cut an answer at its first line break, and dropping it
 * changes no answer a client relies on.
 */
function anthropicStopSequences(stop: readonly string[] | undefined): string[] {
  return (stop ?? []).filter((sequence) => sequence.trim() !== '');
}

/** Anthropic's range is 0–1 (OpenAI's is 0–2); refusing beats a silent clamp. */
function checkTemperature(temperature: number): number {
  if (temperature >= 0 && temperature <= 1) return temperature;
  throw new GatewayError(
    'GW_ERR_INVALID_REQUEST',
    '`temperature` must be between 0 and 1 for this model.',
    { param: 'temperature' },
  );
}
