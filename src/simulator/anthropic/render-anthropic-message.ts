import type { BodyPlan, RenderContext } from '../response-plan.ts';
import type { SimulatedAnswer } from '../simulated-answer.ts';
import { simulatedId, simulatedSignature } from '../simulated-id.ts';
import { anthropicRequestId } from './anthropic-error.ts';
import { anthropicStopReason, renderAnthropicUsage } from './anthropic-usage.ts';

/**
 * A non-streaming Messages response.
 * @see https://docs.anthropic.com/en/api/messages#response
 */
export function renderAnthropicMessage(options: {
  model: string;
  thinking: boolean;
  answer: SimulatedAnswer;
  context: RenderContext;
}): BodyPlan {
  const { answer, context } = options;
  const content: Record<string, unknown>[] = [];
  if (options.thinking) {
    const thinking = answer.reasoningTokens.join('');
    content.push({
      type: 'thinking',
      thinking,
      signature: simulatedSignature(context.sequence, thinking),
    });
  }
  const toolCall = answer.toolCall;
  if (toolCall === undefined) {
    content.push({ type: 'text', text: answer.textTokens.join('') });
  } else {
    content.push({
      type: 'tool_use',
      id: `toolu_${simulatedId(context.sequence)}`,
      name: toolCall.name,
      input: toolCall.arguments,
    });
  }
  const body = {
    id: `msg_${simulatedId(context.sequence)}`,
    type: 'message',
    role: 'assistant',
    model: options.model,
    content,
    stop_reason: anthropicStopReason(answer.finish),
    stop_sequence: null,
    usage: renderAnthropicUsage(answer.usage, answer.usage.outputTokens),
  };
  return {
    headers: {
      'content-type': 'application/json',
      'request-id': anthropicRequestId(context.sequence),
      'x-shepherd-simulator': 'anthropic',
    },
    keepAlive: undefined,
    body: JSON.stringify(body),
  };
}
