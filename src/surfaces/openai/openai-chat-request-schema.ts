import * as z from 'zod';
import { INTEGER_EXPECTED } from './zod-issue-to-gateway-error.ts';

const textPartSchema = z.strictObject({ type: z.literal('text'), text: z.string() });

const imagePartSchema = z.strictObject({
  type: z.literal('image_url'),
  image_url: z.strictObject({
    url: z.string().min(1),
    detail: z.enum(['auto', 'low', 'high']).nullish(),
  }),
});

const unsupportedPartSchema = z.looseObject({ type: z.enum(['input_audio', 'file']) });

/** Assistant content may hold refusal parts when a client echoes a refused answer back. */
const refusalPartSchema = z.strictObject({ type: z.literal('refusal'), refusal: z.string() });

const textContentSchema = z.union([z.string(), z.array(textPartSchema).min(1)]);

const userContentSchema = z.union([
  z.string(),
  z
    .array(z.discriminatedUnion('type', [textPartSchema, imagePartSchema, unsupportedPartSchema]))
    .min(1),
]);

const assistantContentSchema = z.union([
  z.string(),
  z.array(z.discriminatedUnion('type', [textPartSchema, refusalPartSchema])),
]);

const toolCallSchema = z.strictObject({
  id: z.string().min(1),
  type: z.literal('function'),
  function: z.strictObject({
    name: z.string().min(1),
    arguments: z.string(),
    /** A signature the gateway returned on this call; some upstreams require it back. */
    thought_signature: z.string().nullish(),
    /** The openai SDK's helpers' own parse of `arguments`, echoed back with the message; ignored. */
    parsed_arguments: z.unknown().optional(),
  }),
});

const thinkingBlockSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('thinking'),
    thinking: z.string(),
    signature: z.string().nullish(),
  }),
  z.strictObject({ type: z.literal('redacted_thinking'), data: z.string() }),
]);

const systemMessageSchema = z.strictObject({
  role: z.enum(['system', 'developer']),
  content: textContentSchema,
  name: z.string().nullish(),
});

const userMessageSchema = z.strictObject({
  role: z.literal('user'),
  content: userContentSchema,
  name: z.string().nullish(),
});

const assistantMessageSchema = z.strictObject({
  role: z.literal('assistant'),
  content: assistantContentSchema.nullish(),
  name: z.string().nullish(),
  tool_calls: z.array(toolCallSchema).nullish(),
  reasoning_content: z.string().nullish(),
  thinking_blocks: z.array(thinkingBlockSchema).nullish(),
  refusal: z.string().nullish(),
  annotations: z.array(z.unknown()).nullish(),
  audio: z.null().optional(),
  function_call: z.null().optional(),
  /** The openai SDK's stream and parse helpers' own parse of `content`, echoed back; ignored. */
  parsed: z.unknown().optional(),
});

const toolMessageSchema = z.strictObject({
  role: z.literal('tool'),
  tool_call_id: z.string().min(1),
  content: textContentSchema,
  name: z.string().nullish(),
});

const functionMessageSchema = z.looseObject({ role: z.literal('function') });

const messageSchema = z.discriminatedUnion('role', [
  systemMessageSchema,
  userMessageSchema,
  assistantMessageSchema,
  toolMessageSchema,
  functionMessageSchema,
]);

const functionToolSchema = z.strictObject({
  type: z.literal('function'),
  function: z.strictObject({
    name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/),
    description: z.string().nullish(),
    parameters: z.record(z.string(), z.unknown()).nullish(),
    strict: z.boolean().nullish(),
  }),
});

/** OpenAI's `custom` and `allowed_tools` shapes: recognised, refused as unsupported. */
const unsupportedToolSchema = z.looseObject({ type: z.literal('custom') });

const toolChoiceSchema = z.union([
  z.enum(['none', 'auto', 'required']),
  z.discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('function'),
      function: z.strictObject({ name: z.string().min(1) }),
    }),
    z.looseObject({ type: z.enum(['custom', 'allowed_tools']) }),
  ]),
]);

const responseFormatSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text') }),
  z.strictObject({ type: z.literal('json_object') }),
  z.strictObject({
    type: z.literal('json_schema'),
    json_schema: z.strictObject({
      name: z.string().min(1),
      schema: z.record(z.string(), z.unknown()).nullish(),
      description: z.string().nullish(),
      strict: z.boolean().nullish(),
    }),
  }),
]);

/** Marks type mismatches so the message says "an integer" rather than zod's "a number". */
const integerSchema = () =>
  z.int({ error: (issue) => (issue.code === 'invalid_type' ? INTEGER_EXPECTED : undefined) });

const positiveIntegerSchema = integerSchema().positive();

/**
 * The Chat Completions request as the gateway accepts it: strict for every field it interprets.
 * Message objects reject unknown keys (as OpenAI does) but allow the fields an SDK echoes back when a
 * client appends a response message to its history (`refusal`, `annotations`, `audio: null`, …).
 * Unknown top-level fields are allowed here and collected as passthrough by the parser.
 * Parts and roles the gateway recognises but cannot serve (`input_audio`, `file`, the `function`
 * role) are matched loosely so the parser can refuse them as unsupported rather than malformed.
 *
 * @see https://platform.openai.com/docs/api-reference/chat/create
 */
export const openaiChatRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(messageSchema).min(1),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  max_tokens: positiveIntegerSchema.nullish(),
  max_completion_tokens: positiveIntegerSchema.nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
  stream: z.boolean().nullish(),
  stream_options: z
    .strictObject({
      include_usage: z.boolean().nullish(),
      /** Random padding OpenAI may add to chunks; the gateway never adds it, so this is a no-op. */
      include_obfuscation: z.boolean().nullish(),
    })
    .nullish(),
  tools: z
    .array(z.discriminatedUnion('type', [functionToolSchema, unsupportedToolSchema]))
    .nullish(),
  tool_choice: toolChoiceSchema.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  response_format: responseFormatSchema.nullish(),
  reasoning_effort: z.enum(['none', 'minimal', 'low', 'medium', 'high']).nullish(),
  user: z.string().nullish(),
  seed: integerSchema().nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  n: integerSchema().nullish(),
  /** Recognised so that a request for them is refused: the canonical answer carries no logprobs. */
  logprobs: z.boolean().nullish(),
  top_logprobs: integerSchema().min(0).max(20).nullish(),
  /** Models to try in order if `model` cannot answer (OpenRouter's field); routing only, never sent upstream. */
  models: z.array(z.string().min(1)).min(1).max(10).nullish(),
});

export type OpenaiChatRequestBody = z.output<typeof openaiChatRequestSchema>;
export type OpenaiMessage = OpenaiChatRequestBody['messages'][number];

/** The top-level fields the schema interprets; every other field is passthrough. */
export const KNOWN_REQUEST_FIELDS: ReadonlySet<string> = new Set(
  Object.keys(openaiChatRequestSchema.shape),
);
