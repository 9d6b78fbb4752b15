import type { ResponseFormat, ToolChoice } from '../../canonical/chat-request.ts';
import { checkMaxOutputTokens } from '../check-max-output-tokens.ts';
import { outputCapWhenUnset } from '../output-cap-when-unset.ts';
import type { BuildRequestInput, UpstreamHttpRequest } from '../provider-adapter.ts';
import { convertToOpenAIMessages } from './convert-to-openai-messages.ts';
import type { OpenAICompatibleOptions } from './openai-compatible-options.ts';

/**
 * Canonical request → `POST {baseUrl}/chat/completions`. Only fields the client sent are written,
 * plus the output cap the pipeline held for (`outputTokensWhenUnset`) when the client set none;
 * streaming calls always ask for usage (`stream_options.include_usage`), which servers reject on
 * non-streaming calls. Unrecognised client fields (`passthrough`) are forwarded but never replace a
 * field built here. Operator-configured headers go last (lower-cased), so they may replace ours.
 *
 * @see https://platform.openai.com/docs/api-reference/chat/create
 */
export function buildOpenAICompatibleRequest(
  input: BuildRequestInput,
  options: OpenAICompatibleOptions,
): UpstreamHttpRequest {
  const { request, connection } = input;
  checkMaxOutputTokens(request.maxOutputTokens, input.catalogMaxOutputTokens);
  const body = buildBody(input, options);
  for (const [key, value] of Object.entries(request.passthrough)) {
    if (Object.hasOwn(body, key)) continue;
    // defineProperty keeps a `__proto__` key an ordinary field instead of a prototype change.
    Object.defineProperty(body, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (connection.apiKey !== '') headers.authorization = `Bearer ${connection.apiKey}`;
  for (const [name, value] of Object.entries(connection.headers)) {
    headers[name.toLowerCase()] = value;
  }
  return {
    url: `${connection.baseUrl}/chat/completions`,
    method: 'POST',
    headers,
    body: JSON.stringify(body),
    stream: request.stream,
  };
}

function buildBody(
  input: BuildRequestInput,
  options: OpenAICompatibleOptions,
): Record<string, unknown> {
  const { request } = input;
  const body: Record<string, unknown> = {
    model: input.upstreamModel,
    messages: convertToOpenAIMessages(request.messages, options),
  };
  if (request.stream) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  const maxOutputTokens = request.maxOutputTokens ?? outputCapWhenUnset(input);
  if (maxOutputTokens !== undefined) body[options.maxTokensField] = maxOutputTokens;
  if (request.stop !== undefined) body.stop = request.stop;
  if (request.tools !== undefined) {
    body.tools = request.tools.map((tool) => {
      const definition: Record<string, unknown> = { name: tool.name };
      if (tool.description !== undefined) definition.description = tool.description;
      definition.parameters = tool.parameters;
      if (tool.strict !== undefined) definition.strict = tool.strict;
      return { type: 'function', function: definition };
    });
  }
  if (request.toolChoice !== undefined) body.tool_choice = convertToolChoice(request.toolChoice);
  if (request.parallelToolCalls !== undefined) {
    body.parallel_tool_calls = request.parallelToolCalls;
  }
  if (request.responseFormat !== undefined) {
    body.response_format = convertResponseFormat(request.responseFormat);
  }
  if (request.reasoningEffort !== undefined) body.reasoning_effort = request.reasoningEffort;
  if (request.user !== undefined) body.user = request.user;
  if (request.seed !== undefined) body.seed = request.seed;
  if (request.frequencyPenalty !== undefined) body.frequency_penalty = request.frequencyPenalty;
  if (request.presencePenalty !== undefined) body.presence_penalty = request.presencePenalty;
  return body;
}

function convertToolChoice(choice: ToolChoice): unknown {
  if (typeof choice === 'string') return choice;
  return { type: 'function', function: { name: choice.name } };
}

function convertResponseFormat(format: ResponseFormat): Record<string, unknown> {
  if (format.type !== 'json_schema') return { type: format.type };
  const jsonSchema: Record<string, unknown> = { name: format.name };
  if (format.description !== undefined) jsonSchema.description = format.description;
  jsonSchema.schema = format.schema;
  if (format.strict !== undefined) jsonSchema.strict = format.strict;
  return { type: 'json_schema', json_schema: jsonSchema };
}
