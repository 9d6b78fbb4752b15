import type { ChatMessage, ChatRequest } from '../canonical/chat-request.ts';

/** Bytes per token assumed: under English's ~4, about Korean's 3 (one Hangul syllable, 3 bytes). */
const BYTES_PER_TOKEN = 3;
/** Role markers and separators each message costs in every provider's chat template. */
export const TOKENS_PER_MESSAGE = 4;
/**
 * An image counts as the high end of typical provider image costs: Anthropic's largest unresized
 * image (about 1.15 megapixels at width × height / 750) is about 1,600 tokens; OpenAI's
 * high-detail tiles and Gemini's per-image counts are usually lower.
 */
export const TOKENS_PER_IMAGE = 1_600;

/**
 * A conservative estimate of a request's prompt tokens, for the hold placed before the upstream
 * call (and for billing a stream cut before the provider reported usage): UTF-8 bytes of every
 * text the model reads (message text, reasoning carried back, tool-call names and arguments, tool
 * definitions and a response schema as JSON) ÷ 3, rounded up, plus 4 per message and 1,600 per image.
 *
 * Runs on every request, so it only measures: `Buffer.byteLength` per string, JSON text only for
 * tool definitions and a response schema. Image URLs (a `data:` URL may be megabytes) and opaque
 * signatures are not text the model reads and are not measured.
 */
export function estimatePromptTokens(request: ChatRequest): number {
  let bytes = 0;
  let images = 0;
  for (const message of request.messages) {
    const counted = measureMessage(message);
    bytes += counted.bytes;
    images += counted.images;
  }
  for (const tool of request.tools ?? []) bytes += Buffer.byteLength(JSON.stringify(tool), 'utf8');
  if (request.responseFormat?.type === 'json_schema') {
    bytes += Buffer.byteLength(JSON.stringify(request.responseFormat.schema), 'utf8');
  }
  return (
    Math.ceil(bytes / BYTES_PER_TOKEN) +
    request.messages.length * TOKENS_PER_MESSAGE +
    images * TOKENS_PER_IMAGE
  );
}

function measureMessage(message: ChatMessage): { bytes: number; images: number } {
  let bytes = 0;
  let images = 0;
  if (message.role === 'user' && message.name !== undefined) bytes += utf8Length(message.name);
  for (const part of message.content) {
    if (part.type === 'text' || part.type === 'reasoning') bytes += utf8Length(part.text);
    else if (part.type === 'tool-call') bytes += utf8Length(part.name) + utf8Length(part.arguments);
    else images += 1;
  }
  return { bytes, images };
}

function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
