import * as z from 'zod';

const cacheControl = z.looseObject({ type: z.string() }).nullish();

const contentBlock = z.looseObject({
  type: z.string(),
  text: z.string().optional(),
  name: z.string().optional(),
  input: z.unknown().optional(),
  content: z.unknown().optional(),
  cache_control: cacheControl,
});

const message = z.looseObject({
  role: z.enum(['user', 'assistant']),
  content: z.union([z.string(), z.array(contentBlock)]),
});

const systemBlock = z.looseObject({
  type: z.string(),
  text: z.string(),
  cache_control: cacheControl,
});

const tool = z.looseObject({ name: z.string().min(1), input_schema: z.unknown().optional() });

/**
 * The part of a Messages request the simulator reads; `max_tokens` is required, as at Anthropic.
 * @see https://docs.anthropic.com/en/api/messages
 */
export const anthropicRequestSchema = z.looseObject({
  model: z.string().min(1),
  max_tokens: z.number().int().min(1),
  messages: z.array(message).min(1),
  system: z.union([z.string(), z.array(systemBlock)]).optional(),
  stream: z.boolean().optional(),
  tools: z.array(tool).optional(),
  tool_choice: z
    .looseObject({ type: z.enum(['auto', 'any', 'tool', 'none']), name: z.string().optional() })
    .optional(),
  thinking: z.looseObject({ type: z.string() }).optional(),
});

export type AnthropicRequest = z.infer<typeof anthropicRequestSchema>;
export type AnthropicContentBlock = z.infer<typeof contentBlock>;
