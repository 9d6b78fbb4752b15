import type { ReasoningMode, SimulatedToolChoice, SimulationInput } from '../simulation-input.ts';
import type { ChatCompletionsFlavor } from './chat-completions-flavor.ts';
import type {
  ChatCompletionsMessage,
  ChatCompletionsRequest,
} from './chat-completions-request-schema.ts';

function contentText(content: ChatCompletionsMessage['content']): string {
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) return '';
  return content.map((part) => part.text ?? '').join('');
}

function messageText(message: ChatCompletionsMessage): string {
  const calls = (message.tool_calls ?? []).map(
    (call) => call.function.name + call.function.arguments,
  );
  return contentText(message.content) + calls.join('');
}

function toolChoiceOf(choice: ChatCompletionsRequest['tool_choice']): SimulatedToolChoice {
  if (choice === 'none') return { mode: 'none' };
  if (choice === 'required') return { mode: 'required' };
  if (typeof choice === 'object' && choice !== null)
    return { mode: 'named', name: choice.function.name };
  return { mode: 'auto' };
}

/**
 * DeepSeek reasons (visibly) for `deepseek-reasoner` or `thinking: {type: "enabled"}`; OpenAI's
 * o-series and gpt-5 reason without showing it.
 */
function reasoningOf(
  flavor: ChatCompletionsFlavor,
  request: ChatCompletionsRequest,
): ReasoningMode {
  if (flavor === 'deepseek') {
    const thinking = request.thinking?.type;
    if (thinking === 'enabled') return 'visible';
    if (thinking === 'disabled') return 'none';
    return request.model.startsWith('deepseek-reasoner') ? 'visible' : 'none';
  }
  const reasons = /^(o\d|gpt-5)/.test(request.model) && request.reasoning_effort !== 'none';
  return reasons ? 'hidden' : 'none';
}

/** Reduces a validated Chat Completions request to the simulator's neutral input. */
export function toChatCompletionsInput(
  flavor: ChatCompletionsFlavor,
  request: ChatCompletionsRequest,
): SimulationInput {
  const messages = request.messages;
  const lastUser = messages.findLast((message) => message.role === 'user');
  return {
    model: request.model,
    segments: messages.map((message, index) => ({
      text: messageText(message),
      cacheBreakpoint: index < messages.length - 1,
    })),
    endsWithUserText: messages.at(-1)?.role === 'user',
    lastUserText: lastUser === undefined ? '' : contentText(lastUser.content),
    tools: (request.tools ?? []).map((tool) => ({
      name: tool.function.name,
      parameters: tool.function.parameters,
    })),
    toolChoice: toolChoiceOf(request.tool_choice),
    maxOutputTokens: request.max_completion_tokens ?? request.max_tokens ?? undefined,
    reasoning: reasoningOf(flavor, request),
  };
}
