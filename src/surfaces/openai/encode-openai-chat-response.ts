import type { ReasoningPart } from '../../canonical/chat-request.ts';
import type { BilledChatResponse } from '../../canonical/chat-response.ts';
import { encodeOpenaiFinishReason } from './encode-openai-finish-reason.ts';
import { type Charge, encodeOpenaiUsageJson } from './encode-openai-usage.ts';

export interface EncodeOpenaiChatResponseInput {
  response: Pick<BilledChatResponse, 'content' | 'finishReason' | 'usage'>;
  /** The gateway's completion id (`chatcmpl-…`). */
  id: string;
  /** Unix seconds. */
  created: number;
  /** The public model id the client asked for (not the upstream's name). */
  model: string;
  /** What the request was charged; adds `usage.cost`, `usage.currency` and `usage.balance`. */
  charge?: Charge;
}

/**
 * A `chat.completion` object with OpenAI's fields in OpenAI's order. Extension fields, all absent
 * when they would be empty so plain answers look exactly like OpenAI's:
 * - `message.reasoning_content`: the reasoning text, as DeepSeek, LiteLLM and new-api name it.
 * - `message.thinking_blocks`: every reasoning block with its `signature` (or a
 *   `redacted_thinking` block), when any block carries one, so a client can send them back.
 * - `tool_calls[].function.thought_signature`: a signature attached to a tool call.
 * - `usage.cache_creation_input_tokens`: see `encodeOpenaiUsageJson`.
 *
 * A refusal goes in `message.refusal` with `content: null`, as OpenAI answers one.
 *
 * The body is JSON text, so that `usage.cost` and `usage.balance` are written exactly from the
 * integer micro-units (`encodeOpenaiUsageJson`).
 *
 * @see https://platform.openai.com/docs/api-reference/chat/object
 */
export function encodeOpenaiChatResponseJson(input: EncodeOpenaiChatResponseInput): string {
  const head = JSON.stringify(encodeCompletionWithoutUsage(input));
  const usage = encodeOpenaiUsageJson(input.response.usage, input.charge);
  return `${head.slice(0, -1)},"usage":${usage},"system_fingerprint":null}`;
}

/** Every field up to `usage`, which with `system_fingerprint` closes the object. */
function encodeCompletionWithoutUsage(
  input: EncodeOpenaiChatResponseInput,
): Record<string, unknown> {
  const { response } = input;
  let text = '';
  let hasText = false;
  let refusal: string | null = null;
  const reasoning: ReasoningPart[] = [];
  const toolCalls: Record<string, unknown>[] = [];
  for (const part of response.content) {
    if (part.type === 'text' && part.refusal === true) refusal = (refusal ?? '') + part.text;
    else if (part.type === 'text') {
      text += part.text;
      hasText = true;
    } else if (part.type === 'reasoning') reasoning.push(part);
    else {
      const call: Record<string, unknown> = {
        name: part.name,
        arguments: part.arguments === '' ? '{}' : part.arguments,
      };
      if (part.signature !== undefined) call.thought_signature = part.signature;
      toolCalls.push({ id: part.id, type: 'function', function: call });
    }
  }
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: !hasText && (toolCalls.length > 0 || refusal !== null) ? null : text,
    refusal,
    annotations: [],
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  const reasoningText = reasoning.map((part) => part.text).join('');
  if (reasoningText !== '') message.reasoning_content = reasoningText;
  if (reasoning.some((part) => part.signature !== undefined || part.redactedData !== undefined)) {
    message.thinking_blocks = reasoning.map(encodeThinkingBlock);
  }
  return {
    id: input.id,
    object: 'chat.completion',
    created: input.created,
    model: input.model,
    choices: [
      {
        index: 0,
        message,
        logprobs: null,
        finish_reason: encodeOpenaiFinishReason(response.finishReason),
      },
    ],
  };
}

function encodeThinkingBlock(part: ReasoningPart): Record<string, unknown> {
  if (part.redactedData !== undefined)
    return { type: 'redacted_thinking', data: part.redactedData };
  const block: Record<string, unknown> = { type: 'thinking', thinking: part.text };
  if (part.signature !== undefined) block.signature = part.signature;
  return block;
}
