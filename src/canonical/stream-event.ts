import type { FinishReason } from './finish-reason.ts';
import type { Usage } from './usage.ts';

/**
 * The events of one streamed answer. A well-formed stream is `response-start`, then content and
 * `usage` events in any order (Anthropic reports the prompt at the start, Gemini on every chunk,
 * OpenAI at the end), then exactly one `response-end`.
 * Failures are thrown as `GatewayError` from the iterator, never yielded.
 *
 * - Tool calls: `index` is the position among this answer's tool calls (0, 1, …), not a provider
 *   block index. `tool-call-start` carries id and name; `tool-call-delta` appends argument text.
 * - `usage` carries the latest cumulative snapshot: consumers keep the last one, never sum.
 */
export type StreamEvent =
  | { type: 'response-start'; id: string; model: string }
  | { type: 'text-delta'; text: string }
  /** Text of a refusal (OpenAI's `delta.refusal`): the model declined instead of answering. */
  | { type: 'refusal-delta'; text: string }
  | { type: 'reasoning-delta'; text: string }
  | { type: 'reasoning-signature'; signature: string }
  | { type: 'reasoning-redacted'; data: string }
  | { type: 'tool-call-start'; index: number; id: string; name: string; signature?: string }
  | { type: 'tool-call-delta'; index: number; argumentsDelta: string }
  | { type: 'usage'; usage: Usage }
  /**
   * What the request was charged, in integer micro-units of the wallet currency, and the account's
   * available balance after it. Emitted by the gateway's meter (not by providers) just before
   * `response-end`, so surfaces can report it with the usage.
   */
  | { type: 'charge'; costMicros: bigint; balanceMicros: bigint; currency: string }
  | { type: 'response-end'; finishReason: FinishReason };

export type StreamEventType = StreamEvent['type'];

/** True for events that carry model output (the ones that count toward time to first token). */
export function isContentEvent(event: StreamEvent): boolean {
  return (
    event.type === 'text-delta' ||
    event.type === 'refusal-delta' ||
    event.type === 'reasoning-delta' ||
    event.type === 'tool-call-start' ||
    event.type === 'tool-call-delta'
  );
}
