import { type FinishReason, finishWithToolCalls } from '../../canonical/finish-reason.ts';
import { GatewayError } from '../../errors/gateway-error.ts';

/**
 * Maps a chat completion `finish_reason`. A tool call in the answer makes a normal stop
 * `tool-calls`; a truncation or a filter stays (`finishWithToolCalls`).
 * DeepSeek's `insufficient_system_resource` cut the answer short: with output it is a truncation
 * (`length`), without output a retryable overload. `error` (OpenRouter) means the answer failed.
 * Values no server documents are read as a normal stop.
 *
 * @see https://platform.openai.com/docs/api-reference/chat/object#chat/object-choices
 * @see https://api-docs.deepseek.com/api/create-chat-completion
 */
export function mapOpenAIFinishReason(input: {
  finishReason: string;
  hasOutput: boolean;
  hasToolCalls: boolean;
}): FinishReason {
  const { finishReason, hasOutput } = input;
  if (finishReason === 'insufficient_system_resource' && !hasOutput) {
    throw new GatewayError(
      'GW_ERR_UPSTREAM_OVERLOADED',
      'The upstream provider ran out of capacity before producing any output.',
    );
  }
  if (finishReason === 'error') {
    throw new GatewayError(
      'GW_ERR_UPSTREAM_STREAM_ERROR',
      'The upstream provider ended the answer with an error.',
    );
  }
  return finishWithToolCalls(mapReason(finishReason), input.hasToolCalls);
}

function mapReason(finishReason: string): FinishReason {
  switch (finishReason) {
    case 'length':
    case 'insufficient_system_resource':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool-calls';
    case 'content_filter':
      return 'content-filter';
    default:
      return 'stop';
  }
}
