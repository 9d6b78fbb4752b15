import type {
  AssistantContentPart,
  ChatMessage,
  ImagePart,
  TextPart,
  ToolCallPart,
  UserContentPart,
} from '../../canonical/chat-request.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import { isRecord, safeParseJson } from '../../util/safe-parse-json.ts';
import { emptyConversationError } from '../empty-conversation-error.ts';
import type {
  AnthropicContentBlock,
  AnthropicImageBlock,
  AnthropicMessage,
  AnthropicTextBlock,
  AnthropicToolResultBlock,
} from './anthropic-request-body.ts';

export interface AnthropicConversation {
  system: AnthropicTextBlock[];
  messages: AnthropicMessage[];
}

/**
 * Converts canonical messages into Anthropic's `system` and `messages`. System messages are
 * hoisted to the top-level `system` (the Messages API has no system role inside the turns), tool
 * results become `tool_result` blocks of a user turn, and adjacent turns of one role are merged
 * because the API requires user and assistant turns to alternate. Empty text is left out: the API
 * rejects empty text blocks, and OpenAI clients send `content: ""` beside tool calls. A user
 * message's `name` has no Anthropic field and is not sent. A conversation left with no turn is
 * refused (`messages`): the API requires at least one.
 *
 * @see https://docs.anthropic.com/en/api/messages#body-messages
 */
export function buildAnthropicMessages(messages: readonly ChatMessage[]): AnthropicConversation {
  const system: AnthropicTextBlock[] = [];
  const turns: AnthropicMessage[] = [];
  messages.forEach((message, messageIndex) => {
    switch (message.role) {
      case 'system':
        system.push(...textBlocks(message.content));
        break;
      case 'user':
        appendTurn(turns, 'user', userBlocks(message.content, messageIndex));
        break;
      case 'assistant':
        appendTurn(turns, 'assistant', assistantBlocks(message.content, messageIndex));
        break;
      case 'tool':
        appendTurn(turns, 'user', [toolResultBlock(message.toolCallId, message.content)]);
        break;
    }
  });
  if (turns.length === 0) throw emptyConversationError();
  return { system, messages: turns };
}

function appendTurn(
  turns: AnthropicMessage[],
  role: AnthropicMessage['role'],
  blocks: AnthropicContentBlock[],
): void {
  if (blocks.length === 0) return;
  const last = turns[turns.length - 1];
  if (last?.role === role) last.content.push(...blocks);
  else turns.push({ role, content: blocks });
}

function textBlocks(parts: readonly TextPart[]): AnthropicTextBlock[] {
  const blocks: AnthropicTextBlock[] = [];
  for (const part of parts) if (part.text !== '') blocks.push({ type: 'text', text: part.text });
  return blocks;
}

function userBlocks(
  parts: readonly UserContentPart[],
  messageIndex: number,
): AnthropicContentBlock[] {
  const blocks: AnthropicContentBlock[] = [];
  parts.forEach((part, partIndex) => {
    if (part.type === 'image')
      blocks.push(imageBlock(part, `messages[${messageIndex}].content[${partIndex}]`));
    else if (part.text !== '') blocks.push({ type: 'text', text: part.text });
  });
  return blocks;
}

/**
 * A `data:` URL becomes a base64 source; any other URL is passed as a URL source for Anthropic to
 * fetch (the gateway never fetches client URLs itself). `detail` has no Anthropic equivalent and is
 * only a resolution hint, so it is not forwarded.
 */
function imageBlock(part: ImagePart, param: string): AnthropicImageBlock {
  if (!part.url.startsWith('data:'))
    return { type: 'image', source: { type: 'url', url: part.url } };
  const comma = part.url.indexOf(',');
  const header = comma === -1 ? '' : part.url.slice('data:'.length, comma);
  const mediaType = header.split(';')[0] ?? '';
  if (!header.endsWith(';base64') || mediaType === '') {
    throw new GatewayError(
      'GW_ERR_INVALID_REQUEST',
      `${param}: an image data URL must have the form data:<media type>;base64,<data>.`,
      { param },
    );
  }
  return {
    type: 'image',
    source: { type: 'base64', media_type: mediaType, data: part.url.slice(comma + 1) },
  };
}

/**
 * Reasoning is sent back only in the forms Anthropic verifies: a `thinking` block with the
 * signature it issued, or a `redacted_thinking` block. Unsigned reasoning came from another model
 * (a conversation that switched providers) and would be rejected, so it is left out; Anthropic
 * itself ignores thinking from earlier turns except on a turn continuing a tool call.
 */
function assistantBlocks(
  parts: readonly AssistantContentPart[],
  messageIndex: number,
): AnthropicContentBlock[] {
  const blocks: AnthropicContentBlock[] = [];
  let toolCallIndex = 0;
  for (const part of parts) {
    if (part.type === 'text') {
      if (part.text !== '') blocks.push({ type: 'text', text: part.text });
    } else if (part.type === 'reasoning') {
      if (part.redactedData !== undefined) {
        blocks.push({ type: 'redacted_thinking', data: part.redactedData });
      } else if (part.signature !== undefined && part.signature !== '') {
        blocks.push({ type: 'thinking', thinking: part.text, signature: part.signature });
      }
    } else {
      const input = toolInput(part, `messages[${messageIndex}].tool_calls[${toolCallIndex}]`);
      blocks.push({ type: 'tool_use', id: part.id, name: part.name, input });
      toolCallIndex += 1;
    }
  }
  return blocks;
}

/** Anthropic takes tool input as an object; OpenAI clients send it as JSON text ('' meaning none). */
function toolInput(part: ToolCallPart, param: string): Record<string, unknown> {
  if (part.arguments.trim() === '') return {};
  const parsed = safeParseJson(part.arguments);
  if (parsed.ok && isRecord(parsed.value)) return parsed.value;
  throw new GatewayError(
    'GW_ERR_INVALID_REQUEST',
    `${param}: the arguments of tool call \`${part.name}\` must be a JSON object.`,
    { param: `${param}.function.arguments` },
  );
}

function toolResultBlock(toolCallId: string, parts: readonly TextPart[]): AnthropicToolResultBlock {
  const block: AnthropicToolResultBlock = { type: 'tool_result', tool_use_id: toolCallId };
  const content = textBlocks(parts);
  if (content.length > 0) block.content = content;
  return block;
}
