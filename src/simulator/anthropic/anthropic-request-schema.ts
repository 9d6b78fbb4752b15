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

/** Claude models that refuse `temperature` and `top_p` together. */
const ONE_SAMPLING_PARAMETER_MODELS = /^claude-(?:(?:sonnet|haiku|opus)-4-[5-9]|opus-4-1)/;

/**
 * The part of a Messages request the simulator reads; `max_tokens` is required, as at Anthropic.
 * Combinations Anthropic refuses with a 400 are refused too, with Anthropic's wording, so tests
 * through the simulator catch an adapter that sends them: a stop sequence without non-whitespace,
 * `temperature` beside `top_p` on the models that take only one of them (Sonnet and Haiku 4.5,
 * Opus 4.1 and later), and with thinking enabled a `temperature` other than 1, a `top_p` below
 * 0.95, `top_k`, or a forced `tool_choice`.
 * @see https://docs.anthropic.com/en/api/messages
 * @see https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking
 */
export const anthropicRequestSchema = z
  .looseObject({
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
    stop_sequences: z.array(z.string()).optional(),
    temperature: z.number().min(0).max(1).optional(),
    top_p: z.number().min(0).max(1).optional(),
    top_k: z.number().int().min(0).optional(),
  })
  .superRefine((request, context) => {
    const refuse = (message: string, path: string[] = []): void => {
      context.addIssue({ code: 'custom', message, path });
    };
    if (request.stop_sequences?.some((sequence) => sequence.trim() === '') === true) {
      refuse('each stop sequence must contain non-whitespace', ['stop_sequences']);
    }
    if (
      request.temperature !== undefined &&
      request.top_p !== undefined &&
      ONE_SAMPLING_PARAMETER_MODELS.test(request.model)
    ) {
      refuse(
        '`temperature` and `top_p` cannot both be specified for this model. Please use only one.',
      );
    }
    if (request.thinking?.type !== 'enabled') return;
    if (request.temperature !== undefined && request.temperature !== 1) {
      refuse('`temperature` may only be set to 1 when thinking is enabled.');
    }
    if (request.top_p !== undefined && request.top_p < 0.95) {
      refuse('`top_p` must be greater than or equal to 0.95 or unset when thinking is enabled.');
    }
    if (request.top_k !== undefined) refuse('`top_k` must be unset when thinking is enabled.');
    const forced = request.tool_choice?.type === 'any' || request.tool_choice?.type === 'tool';
    if (forced) refuse('Thinking may not be enabled when tool_choice forces tool use.');
  });

export type AnthropicRequest = z.infer<typeof anthropicRequestSchema>;
export type AnthropicContentBlock = z.infer<typeof contentBlock>;
