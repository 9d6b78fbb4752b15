import * as z from 'zod';

const textPart = z.looseObject({ type: z.string(), text: z.string().optional() });

const toolCall = z.looseObject({
  id: z.string().optional(),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});

const message = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
  content: z.union([z.string(), z.array(textPart), z.null()]).optional(),
  tool_calls: z.array(toolCall).nullish(),
});

const tool = z.looseObject({
  type: z.literal('function'),
  function: z.looseObject({ name: z.string().min(1), parameters: z.unknown().optional() }),
});

const toolChoice = z.union([
  z.enum(['none', 'auto', 'required']),
  z.looseObject({ type: z.literal('function'), function: z.looseObject({ name: z.string() }) }),
]);

/**
 * The part of a Chat Completions request the simulator reads. Unknown fields pass, as they do at
 * OpenAI-compatible servers that ignore extensions.
 * @see https://platform.openai.com/docs/api-reference/chat/create
 */
export const chatCompletionsRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(message).min(1),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().nullish() }).nullish(),
  max_tokens: z.number().int().min(1).nullish(),
  max_completion_tokens: z.number().int().min(1).nullish(),
  tools: z.array(tool).nullish(),
  tool_choice: toolChoice.nullish(),
  thinking: z.looseObject({ type: z.string() }).nullish(),
  reasoning_effort: z.string().nullish(),
});

export type ChatCompletionsRequest = z.infer<typeof chatCompletionsRequestSchema>;
export type ChatCompletionsMessage = z.infer<typeof message>;
