import type {
  AssistantContentPart,
  ChatMessage,
  TextPart,
  ToolCallPart,
  UserContentPart,
} from '../../canonical/chat-request.ts';
import type { OpenAICompatibleOptions } from './openai-compatible-options.ts';

type WireContent = string | Array<Record<string, unknown>>;

/**
 * Canonical messages → chat completion `messages`. A lone text part goes out as a plain string,
 * the form every compatible server accepts; several parts keep their array form.
 *
 * @see https://platform.openai.com/docs/api-reference/chat/create#chat-create-messages
 * @see https://api-docs.deepseek.com/guides/thinking_mode
 */
export function convertToOpenAIMessages(
  messages: ChatMessage[],
  options: OpenAICompatibleOptions,
): Array<Record<string, unknown>> {
  return messages.map((message) => convertMessage(message, options));
}

function convertMessage(
  message: ChatMessage,
  options: OpenAICompatibleOptions,
): Record<string, unknown> {
  switch (message.role) {
    case 'system':
      return { role: 'system', content: convertContent(message.content) };
    case 'user': {
      const wire: Record<string, unknown> = {
        role: 'user',
        content: convertContent(message.content),
      };
      if (message.name !== undefined) wire.name = message.name;
      return wire;
    }
    case 'assistant':
      return convertAssistantMessage(message.content, options);
    case 'tool':
      return {
        role: 'tool',
        tool_call_id: message.toolCallId,
        content: convertContent(message.content),
      };
  }
}

function convertContent(parts: UserContentPart[]): WireContent {
  const [first] = parts;
  if (parts.length === 0) return '';
  if (parts.length === 1 && first?.type === 'text') return first.text;
  return parts.map((part) => {
    if (part.type === 'text') return { type: 'text', text: part.text };
    const imageUrl: Record<string, unknown> = { url: part.url };
    if (part.detail !== undefined) imageUrl.detail = part.detail;
    return { type: 'image_url', image_url: imageUrl };
  });
}

function convertAssistantMessage(
  parts: AssistantContentPart[],
  options: OpenAICompatibleOptions,
): Record<string, unknown> {
  const texts: TextPart[] = [];
  const toolCalls: ToolCallPart[] = [];
  let reasoning: string | undefined;
  for (const part of parts) {
    if (part.type === 'text') texts.push(part);
    else if (part.type === 'tool-call') toolCalls.push(part);
    // A redacted Anthropic thinking block means nothing to another provider.
    else if (part.redactedData === undefined) reasoning = (reasoning ?? '') + part.text;
  }
  const wire: Record<string, unknown> = {
    role: 'assistant',
    // OpenAI wants `content: null`, not "", beside tool calls.
    content: texts.length === 0 && toolCalls.length > 0 ? null : convertContent(texts),
  };
  if (toolCalls.length > 0) {
    wire.tool_calls = toolCalls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    }));
  }
  if (options.sendReasoningContent) {
    // DeepSeek's thinking mode answers 400 unless a tool-call turn comes back with its reasoning,
    // even empty, and an OpenAI-shaped client echoing "" (or nothing) leaves no reasoning part.
    if (toolCalls.length > 0) wire.reasoning_content = reasoning ?? '';
    else if (reasoning !== undefined) wire.reasoning_content = reasoning;
  }
  return wire;
}
