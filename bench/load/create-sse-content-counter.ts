import { isRecord, safeParseJson } from '../../src/util/safe-parse-json.ts';

export type StreamDialect = 'openai' | 'anthropic';

export interface SseContentCounter {
  /** Feeds decoded text; returns how many content chunks it completed. */
  push(text: string): number;
  /** Content chunks seen so far. */
  readonly contentChunks: number;
  /** Events of any kind seen so far. */
  readonly events: number;
}

/** True for a frame that carries answer text: OpenAI `delta.content`, Anthropic `text_delta`. */
function isContentFrame(dialect: StreamDialect, data: string): boolean {
  const parsed = safeParseJson(data);
  if (!parsed.ok || !isRecord(parsed.value)) return false;
  const frame = parsed.value;
  if (dialect === 'anthropic') {
    const delta = frame.delta;
    return (
      frame.type === 'content_block_delta' &&
      isRecord(delta) &&
      delta.type === 'text_delta' &&
      typeof delta.text === 'string' &&
      delta.text !== ''
    );
  }
  const choices = frame.choices;
  const first: unknown = Array.isArray(choices) ? choices[0] : undefined;
  if (!isRecord(first) || !isRecord(first.delta)) return false;
  const content = first.delta.content;
  return typeof content === 'string' && content !== '';
}

/**
 * Counts the content chunks a client receives in a server-sent event stream (events split by a
 * blank line; CR ignored), whatever the TCP segmentation.
 */
export function createSseContentCounter(dialect: StreamDialect): SseContentCounter {
  let buffer = '';
  let contentChunks = 0;
  let events = 0;
  return {
    push(text) {
      buffer += text.includes('\r') ? text.replaceAll('\r', '') : text;
      let completed = 0;
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end === -1) break;
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(line.startsWith('data: ') ? 6 : 5))
          .join('\n');
        if (data === '') continue;
        events += 1;
        if (data !== '[DONE]' && isContentFrame(dialect, data)) completed += 1;
      }
      contentChunks += completed;
      return completed;
    },
    get contentChunks() {
      return contentChunks;
    },
    get events() {
      return events;
    },
  };
}
