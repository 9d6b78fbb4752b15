import type { BodyPlan, RenderContext } from '../response-plan.ts';
import type { SimulatedAnswer } from '../simulated-answer.ts';
import type { ReasoningMode } from '../simulation-input.ts';
import {
  type ChatCompletionsFlavor,
  completionId,
  requestId,
  SYSTEM_FINGERPRINT,
  toolCallId,
} from './chat-completions-flavor.ts';
import { renderChatCompletionsUsage } from './chat-completions-usage.ts';
import { finishReasonOf } from './finish-reason-of.ts';

/**
 * A non-streaming `chat.completion`. DeepSeek adds `reasoning_content` to the message and sends
 * blank lines before the JSON while the request waits.
 * @see https://platform.openai.com/docs/api-reference/chat/object
 */
export function renderChatCompletion(options: {
  flavor: ChatCompletionsFlavor;
  model: string;
  reasoning: ReasoningMode;
  answer: SimulatedAnswer;
  context: RenderContext;
}): BodyPlan {
  const { flavor, answer, context } = options;
  const isOpenai = flavor === 'openai';
  const toolCall = answer.toolCall;
  const text = answer.textTokens.join('');
  const message: Record<string, unknown> = { role: 'assistant' };
  if (isOpenai) {
    message.content = toolCall === undefined ? text : null;
    message.refusal = null;
    message.annotations = [];
  } else {
    message.content = text;
    if (options.reasoning === 'visible')
      message.reasoning_content = answer.reasoningTokens.join('');
  }
  if (toolCall !== undefined) {
    message.tool_calls = [
      {
        id: toolCallId(flavor, context.sequence),
        type: 'function',
        function: { name: toolCall.name, arguments: toolCall.argumentsJson },
      },
    ];
  }
  const body = {
    id: completionId(flavor, context.sequence),
    object: 'chat.completion',
    created: context.createdSeconds,
    model: options.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReasonOf(answer.finish) }],
    usage: renderChatCompletionsUsage(flavor, answer.usage),
    ...(isOpenai ? { service_tier: 'default' } : {}),
    system_fingerprint: SYSTEM_FINGERPRINT,
  };
  return {
    headers: {
      'content-type': 'application/json',
      'x-request-id': requestId(context.sequence),
      'x-shepherd-simulator': flavor,
    },
    keepAlive: isOpenai ? undefined : '\n',
    body: JSON.stringify(body),
  };
}
