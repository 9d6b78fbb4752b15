import type { AssistantContentPart, ReasoningPart } from '../../canonical/chat-request.ts';
import type { ChatResponse } from '../../canonical/chat-response.ts';
import { finishWithToolCalls } from '../../canonical/finish-reason.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import {
  anthropicContentBlockSchema,
  anthropicMessageSchema,
} from './anthropic-response-schemas.ts';
import { mapAnthropicStopReason } from './map-anthropic-stop-reason.ts';
import { mapAnthropicUsage } from './map-anthropic-usage.ts';

/**
 * Maps a non-streaming Messages API answer. Adjacent text blocks (Anthropic splits text around
 * citations) become one part, as they do when a stream is collected. Block types the gateway
 * cannot express (server tool blocks) are skipped.
 *
 * @see https://docs.anthropic.com/en/api/messages#response-content
 */
export function mapAnthropicResponse(body: unknown): ChatResponse {
  const parsed = anthropicMessageSchema.safeParse(body);
  if (!parsed.success) throw badResponse(parsed.error);
  const message = parsed.data;
  const content: AssistantContentPart[] = [];
  let hasToolCall = false;
  for (const rawBlock of message.content) {
    const result = anthropicContentBlockSchema.safeParse(rawBlock);
    if (!result.success) {
      if (isKnownBlockType(rawBlock.type)) throw badResponse(result.error);
      continue;
    }
    const block = result.data;
    const last = content[content.length - 1];
    if (block.type === 'text') {
      if (last?.type === 'text') last.text += block.text;
      else content.push({ type: 'text', text: block.text });
    } else if (block.type === 'thinking') {
      const part: ReasoningPart = { type: 'reasoning', text: block.thinking };
      if (block.signature !== undefined && block.signature !== null)
        part.signature = block.signature;
      content.push(part);
    } else if (block.type === 'redacted_thinking') {
      content.push({ type: 'reasoning', text: '', redactedData: block.data });
    } else {
      hasToolCall = true;
      content.push({
        type: 'tool-call',
        id: block.id,
        name: block.name,
        arguments: JSON.stringify(block.input ?? {}),
      });
    }
  }
  return {
    id: message.id,
    model: message.model,
    content,
    finishReason: finishWithToolCalls(mapAnthropicStopReason(message.stop_reason), hasToolCall),
    usage: mapAnthropicUsage(message.usage),
  };
}

function isKnownBlockType(type: string): boolean {
  return (
    type === 'text' || type === 'thinking' || type === 'redacted_thinking' || type === 'tool_use'
  );
}

function badResponse(cause: unknown): GatewayError {
  return new GatewayError(
    'GW_ERR_UPSTREAM_BAD_RESPONSE',
    'The upstream provider sent a response the gateway could not read.',
    { cause },
  );
}
