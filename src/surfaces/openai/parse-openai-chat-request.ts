import type { ChatRequest, ToolChoice, ToolDefinition } from '../../canonical/chat-request.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import { isRecord } from '../../util/safe-parse-json.ts';
import { isPlainChatRequest } from './is-plain-chat-request.ts';
import { mapOpenaiMessages } from './map-openai-messages.ts';
import {
  KNOWN_REQUEST_FIELDS,
  type OpenaiChatRequestBody,
  openaiChatRequestSchema,
} from './openai-chat-request-schema.ts';
import { zodIssueToGatewayError } from './zod-issue-to-gateway-error.ts';

/**
 * Fields that would point the upstream call somewhere else or authenticate it differently if an
 * OpenAI-compatible upstream (a LiteLLM proxy, say) honoured them from the body. Refused outright,
 * never passed through (SSRF and key-leak defence).
 */
const FORBIDDEN_FIELDS: readonly string[] = [
  'api_key',
  'api_base',
  'base_url',
  'extra_headers',
  'headers',
  'custom_llm_provider',
];

/** When a request omits `parameters`, OpenAI treats the function as taking no arguments. */
const EMPTY_PARAMETERS_SCHEMA: Readonly<Record<string, unknown>> = {
  type: 'object',
  properties: {},
};

/**
 * Validates a parsed Chat Completions body and builds the canonical request. `null` optional
 * fields count as absent, as OpenAI treats them. Fields the gateway does not interpret are kept
 * in `passthrough` for OpenAI-compatible upstreams.
 *
 * @throws GatewayError `GW_ERR_INVALID_REQUEST` or `GW_ERR_UNSUPPORTED_PARAMETER`, with `param`
 * naming the field as OpenAI would (`messages[2].content`).
 * @see https://platform.openai.com/docs/api-reference/chat/create
 */
export function parseOpenaiChatRequest(body: unknown): ChatRequest {
  if (!isRecord(body)) {
    const got = body === null ? 'null' : Array.isArray(body) ? 'an array' : typeof body;
    throw new GatewayError(
      'GW_ERR_INVALID_REQUEST',
      `The request body must be a JSON object, got ${got}`,
    );
  }
  for (const field of FORBIDDEN_FIELDS) {
    if (Object.hasOwn(body, field)) {
      throw new GatewayError(
        'GW_ERR_INVALID_REQUEST',
        `The field \`${field}\` is not allowed: the gateway chooses the upstream and its credentials.`,
        { param: field },
      );
    }
  }
  // JSON.parse keeps `__proto__` as an own key; no client means it, and code that copies
  // passthrough with plain assignment would turn it into a prototype.
  if (Object.hasOwn(body, '__proto__')) {
    throw new GatewayError('GW_ERR_INVALID_REQUEST', 'The field `__proto__` is not allowed.', {
      param: '__proto__',
    });
  }
  if (isPlainChatRequest(body)) return buildChatRequest(body, body);
  const result = openaiChatRequestSchema.safeParse(body, { reportInput: true });
  if (!result.success) {
    const issue = result.error.issues[0];
    if (issue !== undefined) throw zodIssueToGatewayError(issue);
    throw new GatewayError('GW_ERR_INVALID_REQUEST', 'The request body is invalid.');
  }
  return buildChatRequest(result.data, body);
}

function buildChatRequest(
  parsed: OpenaiChatRequestBody,
  body: Record<string, unknown>,
): ChatRequest {
  if (parsed.n !== undefined && parsed.n !== null && parsed.n !== 1) {
    throw new GatewayError(
      'GW_ERR_UNSUPPORTED_PARAMETER',
      `\`n\` must be 1 or absent: the gateway returns one choice per request, got ${parsed.n}`,
      { param: 'n' },
    );
  }
  rejectLogprobs(parsed);
  rejectUnanswerableOutputs(body);
  rejectUnpricedServiceTier(body.service_tier);
  const stream = parsed.stream === true;
  const streamOptions = parsed.stream_options ?? undefined;
  if (streamOptions !== undefined && !stream) {
    throw new GatewayError(
      'GW_ERR_INVALID_REQUEST',
      '`stream_options` is only allowed when `stream` is true',
      { param: 'stream_options' },
    );
  }
  const request: ChatRequest = {
    model: parsed.model,
    messages: mapOpenaiMessages(parsed.messages),
    stream,
    includeUsage: streamOptions?.include_usage === true,
    passthrough: collectPassthrough(body),
  };
  if (Array.isArray(parsed.models)) request.fallbackModels = parsed.models;
  const maxOutputTokens = resolveMaxOutputTokens(parsed);
  if (maxOutputTokens !== undefined) request.maxOutputTokens = maxOutputTokens;
  if (typeof parsed.temperature === 'number') request.temperature = parsed.temperature;
  if (typeof parsed.top_p === 'number') request.topP = parsed.top_p;
  if (typeof parsed.stop === 'string') request.stop = [parsed.stop];
  else if (Array.isArray(parsed.stop) && parsed.stop.length > 0) request.stop = parsed.stop;
  applyTools(parsed, request);
  const format = parsed.response_format;
  if (format !== undefined && format !== null) {
    if (format.type === 'json_schema') {
      const schema = format.json_schema;
      request.responseFormat = {
        type: 'json_schema',
        name: schema.name,
        schema: schema.schema ?? {},
      };
      if (typeof schema.description === 'string') {
        request.responseFormat.description = schema.description;
      }
      if (typeof schema.strict === 'boolean') request.responseFormat.strict = schema.strict;
    } else request.responseFormat = { type: format.type };
  }
  if (typeof parsed.reasoning_effort === 'string') {
    request.reasoningEffort = parsed.reasoning_effort;
  }
  if (typeof parsed.user === 'string') request.user = parsed.user;
  if (typeof parsed.seed === 'number') request.seed = parsed.seed;
  if (typeof parsed.frequency_penalty === 'number') {
    request.frequencyPenalty = parsed.frequency_penalty;
  }
  if (typeof parsed.presence_penalty === 'number') {
    request.presencePenalty = parsed.presence_penalty;
  }
  return request;
}

/**
 * The canonical answer has no log probabilities, so every answer would say `logprobs: null`:
 * asking for them is refused rather than silently dropped. `false` and 0 ask for nothing.
 */
function rejectLogprobs(parsed: OpenaiChatRequestBody): void {
  if (parsed.logprobs === true) {
    throw new GatewayError(
      'GW_ERR_UNSUPPORTED_PARAMETER',
      '`logprobs` is not supported: the gateway does not return log probabilities. Remove it or set it to false.',
      { param: 'logprobs' },
    );
  }
  const topLogprobs = parsed.top_logprobs ?? 0;
  if (topLogprobs > 0) {
    throw new GatewayError(
      'GW_ERR_UNSUPPORTED_PARAMETER',
      `\`top_logprobs\` is not supported: the gateway does not return log probabilities, got ${topLogprobs}. Remove it or set it to 0.`,
      { param: 'top_logprobs' },
    );
  }
}

/**
 * Passthrough fields asking for an answer the gateway could not hand back: a legacy
 * `function_call` or audio in the message. An OpenAI-compatible upstream would honour them, and
 * the answer's `function_call` or `audio` would then be dropped by the response mappers, leaving
 * an empty message (billed). Refused instead; `modalities: ["text"]` asks for nothing new.
 */
function rejectUnanswerableOutputs(body: Record<string, unknown>): void {
  const legacy = 'answers carry `tool_calls`, never `function_call`.';
  if (isPresent(body.functions)) {
    throw new GatewayError(
      'GW_ERR_UNSUPPORTED_PARAMETER',
      `\`functions\` (legacy function calling) is not supported: ${legacy} Declare the functions in \`tools\` instead.`,
      { param: 'functions' },
    );
  }
  if (isPresent(body.function_call)) {
    throw new GatewayError(
      'GW_ERR_UNSUPPORTED_PARAMETER',
      `\`function_call\` (legacy function calling) is not supported: ${legacy} Use \`tool_choice\` with \`tools\` instead.`,
      { param: 'function_call' },
    );
  }
  if (Array.isArray(body.modalities) && body.modalities.includes('audio')) {
    throw new GatewayError(
      'GW_ERR_UNSUPPORTED_PARAMETER',
      'Audio output (`"audio"` in `modalities`) is not supported: the gateway answers with text only. Remove it or send `["text"]`.',
      { param: 'modalities' },
    );
  }
  if (isPresent(body.audio)) {
    throw new GatewayError(
      'GW_ERR_UNSUPPORTED_PARAMETER',
      '`audio` (audio output settings) is not supported: the gateway answers with text only. Remove it.',
      { param: 'audio' },
    );
  }
}

/**
 * OpenAI bills `priority` at about 1.75 times the standard prices and `flex` at half; the catalogue
 * holds one price per model and the answer does not say which tier served, so passing the field
 * through would charge the account the standard price for a different bill. `auto` and `default`
 * are the standard tier (the project's default).
 */
function rejectUnpricedServiceTier(tier: unknown): void {
  if (tier === undefined || tier === null || tier === 'auto' || tier === 'default') return;
  const shown = typeof tier === 'string' ? `'${tier}'` : JSON.stringify(tier);
  throw new GatewayError(
    'GW_ERR_UNSUPPORTED_PARAMETER',
    `\`service_tier\` ${shown} is not supported: the gateway bills every request at the standard tier's list prices. Remove it or send 'auto' or 'default'.`,
    { param: 'service_tier' },
  );
}

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function resolveMaxOutputTokens(parsed: OpenaiChatRequestBody): number | undefined {
  const legacy = parsed.max_tokens ?? undefined;
  const current = parsed.max_completion_tokens ?? undefined;
  if (legacy !== undefined && current !== undefined && legacy !== current) {
    throw new GatewayError(
      'GW_ERR_INVALID_REQUEST',
      `\`max_tokens\` (${legacy}) and \`max_completion_tokens\` (${current}) disagree; send only one of them`,
      { param: 'max_completion_tokens' },
    );
  }
  return current ?? legacy;
}

/**
 * `tool_choice` and `parallel_tool_calls` only mean something alongside tools: without tools,
 * `none`/`auto` and `parallel_tool_calls` are dropped (they change nothing), while `required` or a
 * named tool cannot be honoured and are refused.
 */
function applyTools(parsed: OpenaiChatRequestBody, request: ChatRequest): void {
  const tools = mapTools(parsed.tools ?? []);
  const choice = parsed.tool_choice ?? undefined;
  if (tools.length > 0) {
    request.tools = tools;
    if (typeof parsed.parallel_tool_calls === 'boolean') {
      request.parallelToolCalls = parsed.parallel_tool_calls;
    }
  }
  if (choice === undefined) return;
  const names = new Set(tools.map((tool) => tool.name));
  const mapped = mapToolChoice(choice, names);
  if (tools.length === 0 && (mapped === 'none' || mapped === 'auto')) return;
  if (tools.length === 0) {
    throw new GatewayError(
      'GW_ERR_INVALID_REQUEST',
      '`tool_choice` requires `tools`: no tools were given',
      { param: 'tool_choice' },
    );
  }
  request.toolChoice = mapped;
}

function mapTools(tools: NonNullable<OpenaiChatRequestBody['tools']>): ToolDefinition[] {
  const seen = new Set<string>();
  return tools.map((tool, index): ToolDefinition => {
    if (tool.type !== 'function') {
      throw new GatewayError(
        'GW_ERR_UNSUPPORTED_PARAMETER',
        `Tools of type \`${tool.type}\` are not supported; declare \`function\` tools.`,
        { param: `tools[${index}].type` },
      );
    }
    const declared = tool.function;
    if (seen.has(declared.name)) {
      throw new GatewayError(
        'GW_ERR_INVALID_REQUEST',
        `\`tools[${index}].function.name\` repeats the tool name '${declared.name}'; tool names must be unique`,
        { param: `tools[${index}].function.name` },
      );
    }
    seen.add(declared.name);
    const definition: ToolDefinition = {
      name: declared.name,
      parameters: declared.parameters ?? { ...EMPTY_PARAMETERS_SCHEMA },
    };
    if (typeof declared.description === 'string') definition.description = declared.description;
    if (typeof declared.strict === 'boolean') definition.strict = declared.strict;
    return definition;
  });
}

function mapToolChoice(
  choice: NonNullable<OpenaiChatRequestBody['tool_choice']>,
  toolNames: ReadonlySet<string>,
): ToolChoice {
  if (typeof choice === 'string') return choice;
  if (choice.type !== 'function') {
    throw new GatewayError(
      'GW_ERR_UNSUPPORTED_PARAMETER',
      `\`tool_choice\` of type \`${choice.type}\` is not supported; use 'none', 'auto', 'required' or a function.`,
      { param: 'tool_choice.type' },
    );
  }
  const name = choice.function.name;
  if (!toolNames.has(name)) {
    throw new GatewayError(
      'GW_ERR_INVALID_REQUEST',
      `\`tool_choice.function.name\` names the tool '${name}', which is not in \`tools\``,
      { param: 'tool_choice.function.name' },
    );
  }
  return { type: 'tool', name };
}

/** Unknown top-level fields, minus nulls (absent, as OpenAI treats them). */
function collectPassthrough(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(body).filter(([key, value]) => !KNOWN_REQUEST_FIELDS.has(key) && value !== null),
  );
}
