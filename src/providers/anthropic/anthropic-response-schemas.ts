import * as z from 'zod';

/**
 * Lenient schemas for what the Messages API sends: only the fields the gateway reads are checked,
 * and unknown fields and block types pass untouched.
 *
 * @see https://docs.anthropic.com/en/api/messages
 */
const count = z.number().nullish();

export const anthropicUsageSchema = z.looseObject({
  input_tokens: count,
  output_tokens: count,
  cache_creation_input_tokens: count,
  cache_read_input_tokens: count,
  cache_creation: z.looseObject({ ephemeral_1h_input_tokens: count }).nullish(),
  output_tokens_details: z.looseObject({ thinking_tokens: count }).nullish(),
});

export type AnthropicUsage = z.infer<typeof anthropicUsageSchema>;

export const anthropicContentBlockSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('text'), text: z.string() }),
  z.looseObject({
    type: z.literal('thinking'),
    thinking: z.string(),
    signature: z.string().nullish(),
  }),
  z.looseObject({ type: z.literal('redacted_thinking'), data: z.string() }),
  z.looseObject({
    type: z.literal('tool_use'),
    id: z.string(),
    name: z.string(),
    input: z.unknown(),
  }),
]);

export const anthropicMessageSchema = z.looseObject({
  id: z.string(),
  model: z.string(),
  // Blocks are checked one by one so that a block type the gateway does not know is skipped.
  content: z.array(z.looseObject({ type: z.string() })),
  stop_reason: z.string().nullish(),
  usage: anthropicUsageSchema.nullish(),
});

export const anthropicStreamStartSchema = z.looseObject({
  message: z.looseObject({
    id: z.string(),
    model: z.string(),
    usage: anthropicUsageSchema.nullish(),
  }),
});

export const anthropicMessageDeltaSchema = z.looseObject({
  delta: z.looseObject({ stop_reason: z.string().nullish() }).nullish(),
  usage: anthropicUsageSchema.nullish(),
});

export const anthropicErrorBodySchema = z.looseObject({
  error: z.looseObject({ type: z.string().nullish(), message: z.string().nullish() }),
  request_id: z.string().nullish(),
});
