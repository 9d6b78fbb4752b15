import type { SseMessage } from './sse-message.ts';

/** A synchronous, stateful SSE decoder for one stream: feed it chunks, get whole messages back. */
export interface SseDecoder {
  /** The messages this chunk completes (often none or one), in order. */
  push(chunk: Uint8Array | string): readonly SseMessage[];
  /** End of input: flushes the text decoder; a message without its blank line is discarded. */
  end(): readonly SseMessage[];
}

const NO_MESSAGES: readonly SseMessage[] = [];
const STREAM = { stream: true } as const;
const LF = 10;
const COLON = 58;
const SPACE = 32;
const BYTE_ORDER_MARK = 0xfeff;

/**
 * Decodes bytes into SSE messages per the WHATWG event-stream rules: lines end in LF, CRLF or CR (a
 * chunk may split a CRLF pair or a UTF-8 sequence anywhere); `:` lines are comments; several
 * `data:` lines join with LF; a blank line dispatches. A message with no data is not dispatched.
 * A message still pending at end of input is discarded, as the spec requires: it is what a cut
 * connection leaves behind, and adapters then see a cut stream rather than truncated JSON.
 *
 * Runs once per upstream chunk, so it is written for speed: a chunk that ends on an ASCII byte
 * (nearly all of them: frames end in LF) is decoded whole by a non-streaming `TextDecoder`, which
 * is several times cheaper than a streaming one; only a chunk that may end inside a UTF-8
 * sequence goes through the streaming decoder. Both decoders keep a byte order mark, and the one
 * leading BOM of the stream is dropped here.
 *
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */
export function createSseDecoder(): SseDecoder {
  const streaming = new TextDecoder('utf-8', { ignoreBOM: true });
  const whole = new TextDecoder('utf-8', { ignoreBOM: true });
  /** The streaming decoder may hold the start of a UTF-8 sequence from the previous chunk. */
  let streamingPending = false;
  let atStreamStart = true;
  /** Text after the last complete line. */
  let buffer = '';
  /** Data lines of the message being built, joined by LF; undefined until the first `data:`. */
  let data: string | undefined;
  let event: string | undefined;
  /** The previous text ended in CR: a LF at the start of the next one belongs to it. */
  let skipLeadingLf = false;

  function decodeBytes(bytes: Uint8Array): string {
    const length = bytes.length;
    if (length === 0) return '';
    // An ASCII last byte always completes its sequence, so the streaming decoder ends idle too.
    const endsComplete = (bytes[length - 1] ?? 0) < 0x80;
    if (!streamingPending && endsComplete) return whole.decode(bytes);
    streamingPending = !endsComplete;
    return streaming.decode(bytes, STREAM);
  }

  function drain(text: string): readonly SseMessage[] {
    let messages: SseMessage[] | undefined;
    let start = 0;
    const length = text.length;
    if (skipLeadingLf && length > 0) {
      if (text.charCodeAt(0) === LF) start = 1;
      skipLeadingLf = false;
    }
    let lf = text.indexOf('\n', start);
    let cr = text.indexOf('\r', start);
    for (;;) {
      let end: number;
      let next: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        end = cr;
        if (cr + 1 < length) next = text.charCodeAt(cr + 1) === LF ? cr + 2 : cr + 1;
        else {
          next = cr + 1;
          skipLeadingLf = true;
        }
      } else if (lf !== -1) {
        end = lf;
        next = lf + 1;
      } else break;
      if (end === start) {
        if (data !== undefined) {
          messages ??= [];
          messages.push({ event, data });
        }
        data = undefined;
        event = undefined;
      } else readField(text, start, end);
      start = next;
      if (lf !== -1 && lf < start) lf = text.indexOf('\n', start);
      if (cr !== -1 && cr < start) cr = text.indexOf('\r', start);
    }
    buffer = start === 0 ? text : text.slice(start);
    return messages ?? NO_MESSAGES;
  }

  /** One non-empty line `text[start, end)`: only `data` and `event` fields matter here. */
  function readField(text: string, start: number, end: number): void {
    if (text.charCodeAt(start) === COLON) return; // comment or keep-alive
    let colon = text.indexOf(':', start);
    if (colon === -1 || colon > end) colon = end;
    let valueStart = colon + 1;
    if (valueStart < end && text.charCodeAt(valueStart) === SPACE) valueStart += 1;
    const value = valueStart >= end ? '' : text.slice(valueStart, end);
    const fieldLength = colon - start;
    if (fieldLength === 4 && text.startsWith('data', start)) {
      data = data === undefined ? value : `${data}\n${value}`;
    } else if (fieldLength === 5 && text.startsWith('event', start)) event = value;
  }

  function withoutLeadingBom(text: string): string {
    if (text.length === 0) return text;
    atStreamStart = false;
    return text.charCodeAt(0) === BYTE_ORDER_MARK ? text.slice(1) : text;
  }

  return {
    push(chunk) {
      let text = typeof chunk === 'string' ? chunk : decodeBytes(chunk);
      if (atStreamStart) text = withoutLeadingBom(text);
      if (text.length === 0) return NO_MESSAGES;
      return drain(buffer.length === 0 ? text : buffer + text);
    },
    end() {
      let text = streamingPending ? streaming.decode() : '';
      streamingPending = false;
      if (atStreamStart) text = withoutLeadingBom(text);
      return drain(buffer + text);
    },
  };
}
