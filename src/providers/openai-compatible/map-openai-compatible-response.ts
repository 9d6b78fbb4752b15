import * as z from 'zod';
import type { AssistantContentPart } from '../../canonical/chat-request.ts';
import type { ChatResponse } from '../../canonical/chat-response.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import { isRecord } from '../../util/safe-parse-json.ts';
import { mapOpenAIErrorPayload } from './map-openai-error-payload.ts';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.ts';
import { mapOpenAIUsage } from './map-openai-usage.ts';
import { synthesizeToolCallId } from './synthesize-tool-call-id.ts';

const text = z.string().nullish();

const responseSchema = z.object({
  id: text,
  model: text,
  choices: z
    .array(
      z.object({
        index: z.number().nullish(),
        message: z.object({
          content: text,
          // DeepSeek names reasoning `reasoning_content`; vLLM and OpenRouter name it `reasoning`.
          reasoning_content: text,
          reasoning: text,
          refusal: text,
          tool_calls: z
            .array(
              z.object({
                id: text,
                function: z.object({ name: z.string(), arguments: text }),
              }),
            )
            .nullish(),
        }),
        finish_reason: text,
      }),
    )
    .min(1),
  usage: z.unknown().optional(),
});

/**
 * A non-streaming chat completion → `ChatResponse`. Only the first choice is read. A refusal
 * (OpenAI structured outputs) is a text part marked `refusal`, which surfaces hand back as such.
 *
 * @see https://platform.openai.com/docs/api-reference/chat/object
 * @see https://api-docs.deepseek.com/api/create-chat-completion
 */
export function mapOpenAICompatibleResponse(body: unknown): ChatResponse {
  // Some servers answer 200 with an error object instead of a completion.
  if (
    isRecord(body) &&
    body.error !== undefined &&
    body.error !== null &&
    body.choices === undefined
  ) {
    throw mapOpenAIErrorPayload(body.error, 'body');
  }
  const parsed = responseSchema.safeParse(body);
  if (!parsed.success) {
    throw new GatewayError(
      'GW_ERR_UPSTREAM_BAD_RESPONSE',
      'The upstream provider answered with something that is not a chat completion.',
      { cause: parsed.error },
    );
  }
  const completion = parsed.data;
  const id = completion.id ?? '';
  const choice =
    completion.choices.find((candidate) => (candidate.index ?? 0) === 0) ?? completion.choices[0]!;
  const { message } = choice;
  const content: AssistantContentPart[] = [];
  const reasoning = nonEmpty(message.reasoning_content) ?? nonEmpty(message.reasoning);
  if (reasoning !== undefined) content.push({ type: 'reasoning', text: reasoning });
  const answer = nonEmpty(message.content);
  if (answer !== undefined) content.push({ type: 'text', text: answer });
  const refusal = nonEmpty(message.refusal);
  if (refusal !== undefined) content.push({ type: 'text', text: refusal, refusal: true });
  for (const [index, call] of (message.tool_calls ?? []).entries()) {
    content.push({
      type: 'tool-call',
      id: nonEmpty(call.id) ?? synthesizeToolCallId(id, index),
      name: call.function.name,
      arguments: nonEmpty(call.function.arguments) ?? '{}',
    });
  }
  const finishReason = mapOpenAIFinishReason({
    // The answer is complete by definition of a non-streaming 200.
    finishReason: choice.finish_reason ?? 'stop',
    hasOutput: content.length > 0,
    hasToolCalls: (message.tool_calls?.length ?? 0) > 0,
  });
  return {
    id,
    model: completion.model ?? '',
    content,
    finishReason,
    // None reported: the pipeline bills an estimate (some servers leave usage out).
    usage:
      completion.usage === undefined || completion.usage === null
        ? undefined
        : mapOpenAIUsage(completion.usage),
  };
}

function nonEmpty(value: string | null | undefined): string | undefined {
  return value === null || value === undefined || value === '' ? undefined : value;
}
