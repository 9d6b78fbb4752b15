import type { SseMessage } from './sse-message.ts';

/**
 * Decodes a byte stream into SSE messages, per the WHATWG event-stream rules: lines end in LF, CRLF
 * or CR (a chunk may split a CRLF pair or a UTF-8 sequence anywhere); `:` lines are comments; several
 * `data:` lines join with LF; a blank line dispatches. A message with no data is not dispatched.
 * A message still pending at end of input is discarded, as the spec requires: it is what a cut
 * connection leaves behind, and adapters then see a cut stream rather than truncated JSON.
 *
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */
export async function* decodeSse(
  chunks: AsyncIterable<Uint8Array | string>,
): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder('utf-8');
  const state: DecoderState = {
    buffer: '',
    data: undefined,
    event: undefined,
    skipLeadingLf: false,
  };
  for await (const chunk of chunks) {
    state.buffer += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    yield* drainLines(state);
  }
  state.buffer += decoder.decode();
  yield* drainLines(state);
}

interface DecoderState {
  buffer: string;
  /** Data lines of the message being built, joined by LF; undefined until the first `data:`. */
  data: string | undefined;
  event: string | undefined;
  /** The previous chunk ended in CR: a LF at the start of the next one belongs to it. */
  skipLeadingLf: boolean;
}

function* drainLines(state: DecoderState): Generator<SseMessage> {
  let start = 0;
  const text = state.buffer;
  if (state.skipLeadingLf && text.length > 0) {
    if (text.charCodeAt(0) === 10) start = 1;
    state.skipLeadingLf = false;
  }
  for (;;) {
    const lf = text.indexOf('\n', start);
    const cr = text.indexOf('\r', start);
    let end: number;
    let next: number;
    if (cr !== -1 && (lf === -1 || cr < lf)) {
      end = cr;
      if (cr + 1 < text.length) next = text.charCodeAt(cr + 1) === 10 ? cr + 2 : cr + 1;
      else {
        next = cr + 1;
        state.skipLeadingLf = true;
      }
    } else if (lf !== -1) {
      end = lf;
      next = lf + 1;
    } else break;
    const line = text.slice(start, end);
    start = next;
    if (line.length === 0) {
      if (state.data !== undefined) yield { event: state.event, data: state.data };
      state.data = undefined;
      state.event = undefined;
    } else processLine(state, line);
  }
  state.buffer = start === 0 ? text : text.slice(start);
}

function processLine(state: DecoderState, line: string): void {
  if (line.charCodeAt(0) === 58) return; // ':' comment or keep-alive
  const colon = line.indexOf(':');
  const field = colon === -1 ? line : line.slice(0, colon);
  let value = colon === -1 ? '' : line.slice(colon + 1);
  if (value.charCodeAt(0) === 32) value = value.slice(1);
  if (field === 'data') state.data = state.data === undefined ? value : `${state.data}\n${value}`;
  else if (field === 'event') state.event = value;
}
