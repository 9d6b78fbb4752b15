import type {
  AssistantContentPart,
  ChatMessage,
  TextPart,
  UserContentPart,
} from '../../canonical/chat-request.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import { isRecord, safeParseJson } from '../../util/safe-parse-json.ts';
import { emptyConversationError } from '../empty-conversation-error.ts';
import { buildGeminiImagePart } from './build-gemini-image-part.ts';
import type {
  GeminiContent,
  GeminiFunctionResponsePart,
  GeminiPart,
  GeminiTextPart,
} from './gemini-request-body.ts';

export interface GeminiConversation {
  systemInstruction: GeminiTextPart[];
  contents: GeminiContent[];
}

/**
 * Converts canonical messages into Gemini `contents` plus `systemInstruction`.
 *
 * - System messages are hoisted into `systemInstruction` (Gemini has no system role in turns).
 * - Assistant turns become role `model`; tool results become `functionResponse` parts of a `user`
 *   turn. Adjacent turns of one role are merged, so parallel tool results share one turn.
 * - Reasoning text is not sent back: thought summaries are a readable digest, not the model's
 *   reasoning state (that travels in the signature), re-sending them costs input tokens, and the
 *   text may come from another provider after a fallback. Signatures are kept (see below).
 * - A user message's `name` has no Gemini field and is not forwarded.
 * - Empty text parts are left out (OpenAI clients send `content: ""` beside tool calls). A
 *   conversation left with no turn is refused (`messages`): Gemini requires non-empty `contents`.
 *
 * @see https://ai.google.dev/api/caching#Content
 * @see https://ai.google.dev/gemini-api/docs/function-calling
 */
export function buildGeminiContents(messages: readonly ChatMessage[]): GeminiConversation {
  const systemInstruction: GeminiTextPart[] = [];
  const contents: GeminiContent[] = [];
  // Gemini matches a result to its call by function name; a reused id resolves to the latest call.
  const toolNames = new Map<string, string>();
  messages.forEach((message, messageIndex) => {
    switch (message.role) {
      case 'system':
        systemInstruction.push(...textParts(message.content));
        break;
      case 'user':
        appendTurn(contents, 'user', userParts(message.content, messageIndex));
        break;
      case 'assistant':
        for (const part of message.content) {
          if (part.type === 'tool-call') toolNames.set(part.id, part.name);
        }
        appendTurn(contents, 'model', modelParts(message.content, messageIndex));
        break;
      case 'tool': {
        const name = toolNames.get(message.toolCallId);
        if (name === undefined) {
          throw new GatewayError(
            'GW_ERR_INVALID_REQUEST',
            `No earlier assistant tool call has the id \`${message.toolCallId}\`.`,
            { param: `messages[${messageIndex}].tool_call_id` },
          );
        }
        appendTurn(contents, 'user', [functionResponsePart(message, name)]);
        break;
      }
    }
  });
  if (contents.length === 0) throw emptyConversationError();
  return { systemInstruction, contents };
}

function appendTurn(contents: GeminiContent[], role: GeminiContent['role'], parts: GeminiPart[]) {
  if (parts.length === 0) return;
  const last = contents[contents.length - 1];
  if (last?.role === role) last.parts.push(...parts);
  else contents.push({ role, parts });
}

function textParts(parts: readonly TextPart[]): GeminiTextPart[] {
  const result: GeminiTextPart[] = [];
  for (const part of parts) if (part.text !== '') result.push({ text: part.text });
  return result;
}

function userParts(parts: readonly UserContentPart[], messageIndex: number): GeminiPart[] {
  const result: GeminiPart[] = [];
  parts.forEach((part, partIndex) => {
    if (part.type === 'image') {
      result.push(buildGeminiImagePart(part, `messages[${messageIndex}].content[${partIndex}]`));
    } else if (part.text !== '') result.push({ text: part.text });
  });
  return result;
}

/**
 * A tool call's `signature` is Gemini's `thoughtSignature` of that `functionCall` part and goes
 * back on it (Gemini 3 rejects a replayed function call without it). A reasoning signature came
 * from a text part (Gemini puts it on the last part of a non-tool answer, or on an empty part at
 * the end of a stream): it rejoins the text part just before it, else travels on an empty part,
 * the shape Gemini itself streams. Anthropic `redacted_thinking` data has no Gemini meaning.
 */
function modelParts(parts: readonly AssistantContentPart[], messageIndex: number): GeminiPart[] {
  const result: GeminiPart[] = [];
  let toolCallIndex = 0;
  for (const part of parts) {
    if (part.type === 'text') {
      if (part.text !== '') result.push({ text: part.text });
    } else if (part.type === 'reasoning') {
      if (part.signature === undefined || part.signature === '') continue;
      const previous = result[result.length - 1];
      if (previous !== undefined && 'text' in previous && previous.thoughtSignature === undefined) {
        previous.thoughtSignature = part.signature;
      } else result.push({ text: '', thoughtSignature: part.signature });
    } else {
      const args = parseArguments(
        part.arguments,
        `messages[${messageIndex}].tool_calls[${toolCallIndex}].function.arguments`,
      );
      toolCallIndex += 1;
      result.push(
        part.signature === undefined
          ? { functionCall: { name: part.name, args } }
          : { functionCall: { name: part.name, args }, thoughtSignature: part.signature },
      );
    }
  }
  return result;
}

function parseArguments(text: string, param: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  const parsed = safeParseJson(text);
  if (parsed.ok && isRecord(parsed.value)) return parsed.value;
  throw new GatewayError(
    'GW_ERR_INVALID_REQUEST',
    'Tool call arguments must be a JSON object for this model.',
    { param },
  );
}

/**
 * A JSON object result is sent as the structured `response`; anything else is wrapped as
 * `{ result: text }`, the shape Gemini documents for plain output.
 */
function functionResponsePart(
  message: Extract<ChatMessage, { role: 'tool' }>,
  name: string,
): GeminiFunctionResponsePart {
  const text = message.content.map((part) => part.text).join('');
  const parsed = safeParseJson(text);
  const response = parsed.ok && isRecord(parsed.value) ? parsed.value : { result: text };
  return { functionResponse: { name, response } };
}
