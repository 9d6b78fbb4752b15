import type {
  AssistantContentPart,
  ChatMessage,
  ImagePart,
  ReasoningPart,
  TextPart,
  ToolCallPart,
  UserContentPart,
} from '../../canonical/chat-request.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { OpenaiMessage } from './openai-chat-request-schema.ts';

type AssistantMessage = Extract<OpenaiMessage, { role: 'assistant' }>;
type UserContent = Extract<OpenaiMessage, { role: 'user' }>['content'];

/**
 * Maps validated Chat Completions messages to canonical ones. `developer` becomes `system`; the
 * legacy `function` role and audio/file parts are refused as unsupported, naming the field.
 *
 * @see https://platform.openai.com/docs/api-reference/chat/create#chat-create-messages
 */
export function mapOpenaiMessages(messages: readonly OpenaiMessage[]): ChatMessage[] {
  return messages.map((message, index) => mapMessage(message, `messages[${index}]`));
}

function mapMessage(message: OpenaiMessage, param: string): ChatMessage {
  switch (message.role) {
    case 'system':
    case 'developer':
      return { role: 'system', content: toTextParts(message.content) };
    case 'user': {
      const mapped: Extract<ChatMessage, { role: 'user' }> = {
        role: 'user',
        content: toUserParts(message.content, `${param}.content`),
      };
      if (typeof message.name === 'string') mapped.name = message.name;
      return mapped;
    }
    case 'assistant':
      return { role: 'assistant', content: toAssistantParts(message, param) };
    case 'tool':
      return {
        role: 'tool',
        toolCallId: message.tool_call_id,
        content: toTextParts(message.content),
      };
    case 'function':
      throw new GatewayError(
        'GW_ERR_UNSUPPORTED_PARAMETER',
        `The legacy \`function\` role in \`${param}.role\` is not supported; send tool results as \`tool\` messages with a \`tool_call_id\`.`,
        { param: `${param}.role` },
      );
  }
}

function toTextParts(content: string | ReadonlyArray<{ text: string }>): TextPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return content.map((part) => ({ type: 'text', text: part.text }));
}

function toUserParts(content: UserContent, param: string): UserContentPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return content.map((part, index): UserContentPart => {
    switch (part.type) {
      case 'text':
        return { type: 'text', text: part.text };
      case 'image_url': {
        const image: ImagePart = { type: 'image', url: part.image_url.url };
        if (typeof part.image_url.detail === 'string') image.detail = part.image_url.detail;
        return image;
      }
      default:
        throw new GatewayError(
          'GW_ERR_UNSUPPORTED_PARAMETER',
          `Content parts of type \`${part.type}\` (\`${param}[${index}]\`) are not supported; send text or \`image_url\` parts.`,
          { param: `${param}[${index}]` },
        );
    }
  });
}

/**
 * Order follows how the answer was produced: reasoning, then text, then tool calls. Refusal text
 * and empty strings are not replayed (Anthropic rejects empty text blocks; a refusal is not input).
 */
function toAssistantParts(message: AssistantMessage, param: string): AssistantContentPart[] {
  const toolCalls = message.tool_calls ?? [];
  const content = message.content;
  if ((content === undefined || content === null) && toolCalls.length === 0) {
    throw new GatewayError(
      'GW_ERR_INVALID_REQUEST',
      `\`${param}.content\` is required unless \`${param}.tool_calls\` is given`,
      { param: `${param}.content` },
    );
  }
  const parts: AssistantContentPart[] = toReasoningParts(message);
  if (typeof content === 'string') {
    if (content !== '') parts.push({ type: 'text', text: content });
  } else if (content !== undefined && content !== null) {
    for (const part of content) {
      if (part.type === 'text' && part.text !== '') parts.push({ type: 'text', text: part.text });
    }
  }
  for (const call of toolCalls) {
    const part: ToolCallPart = {
      type: 'tool-call',
      id: call.id,
      name: call.function.name,
      arguments: call.function.arguments,
    };
    if (typeof call.function.thought_signature === 'string') {
      part.signature = call.function.thought_signature;
    }
    parts.push(part);
  }
  return parts;
}

/**
 * `thinking_blocks` carry the text and the signatures, so when present they are the reasoning and
 * `reasoning_content` (the same text, joined) is ignored rather than replayed twice.
 */
function toReasoningParts(message: AssistantMessage): AssistantContentPart[] {
  const blocks = message.thinking_blocks ?? [];
  if (blocks.length > 0) {
    return blocks.map((block): ReasoningPart => {
      if (block.type === 'redacted_thinking') {
        return { type: 'reasoning', text: '', redactedData: block.data };
      }
      const part: ReasoningPart = { type: 'reasoning', text: block.thinking };
      if (typeof block.signature === 'string') part.signature = block.signature;
      return part;
    });
  }
  const text = message.reasoning_content ?? '';
  return text === '' ? [] : [{ type: 'reasoning', text }];
}
