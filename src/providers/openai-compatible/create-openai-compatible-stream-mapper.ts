import type { StreamEvent } from '../../canonical/stream-event.ts';
import type { Usage } from '../../canonical/usage.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { Mutable } from '../../util/mutable.ts';
import { isRecord, safeParseJson } from '../../util/safe-parse-json.ts';
import { createTextDeltaTemplate } from '../create-text-delta-template.ts';
import type { StreamEventMapper } from '../provider-adapter.ts';
import { mapOpenAIErrorPayload } from './map-openai-error-payload.ts';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.ts';
import { mapOpenAIUsage } from './map-openai-usage.ts';
import { synthesizeToolCallId } from './synthesize-tool-call-id.ts';

interface StreamState {
  started: boolean;
  id: string;
  hasOutput: boolean;
  /** The upstream's `finish_reason`, held until the stream ends: usage may still follow it. */
  finishReason: string | undefined;
  usage: Usage | undefined;
  /** Upstream tool-call index → canonical index (0, 1, … in order of first appearance). */
  toolCallIndexes: Map<number, number>;
  /** Tool calls started so far: the last one's canonical index is one less. */
  toolCallCount: number;
  /**
   * The upstream id of the last call started, if it had one. A call without an `index` that
   * carries another id is a new call (Gemini's OpenAI-compatible endpoint sends each parallel call
   * whole in its own chunk, without `index`).
   */
  lastToolCallId: string | undefined;
}

const NO_EVENTS: readonly StreamEvent[] = [];

/**
 * Chat completion chunks → canonical events. Usage arrives on a separate `choices: []` chunk after
 * the finish chunk (OpenAI) or on the finish chunk itself (DeepSeek), so the finish reason is held
 * and `response-end` comes last, at `[DONE]` or at the end of input. A stream that ends without a
 * finish reason was cut. Chunks are narrowed by hand: this runs once per token, and the chunks of
 * a run of text (or of reasoning) that differ only in their text are read without a full parse
 * (`createTextDeltaTemplate`), whatever OpenAI's `obfuscation` padding holds: it is random in every
 * chunk, and chunks whose padding had to be compared were all parsed in full (about 2 µs a chunk
 * instead of 0.4 µs, measured on the chunks of the recorded fixtures' shape).
 *
 * @see https://platform.openai.com/docs/api-reference/chat-streaming
 * @see https://api-docs.deepseek.com/guides/thinking_mode
 */
export function createOpenAICompatibleStreamMapper(): StreamEventMapper {
  const state: StreamState = {
    started: false,
    id: '',
    hasOutput: false,
    finishReason: undefined,
    usage: undefined,
    toolCallIndexes: new Map(),
    toolCallCount: 0,
    lastToolCallId: undefined,
  };
  const template = createTextDeltaTemplate({ paddingField: 'obfuscation' });
  /** What the learned template's chunks map to: answer text, or reasoning (DeepSeek, vLLM). */
  let templateType: DeltaType = 'text-delta';
  // A plain property, not a getter (see `Mutable`): built once per stream, before its first token.
  const mapper: Mutable<StreamEventMapper> = {
    complete: false,
    push(message) {
      const { data } = message;
      const text = template.read(data);
      if (text !== undefined) {
        if (text === '') return NO_EVENTS;
        state.hasOutput = true;
        return [{ type: templateType, text }];
      }
      if (data === '[DONE]') {
        mapper.complete = true;
        return NO_EVENTS;
      }
      const { started, finishReason, usage } = state;
      const events: StreamEvent[] = [];
      mapChunk(state, data, events);
      const [event] = events;
      if (
        (event?.type === 'text-delta' || event?.type === 'reasoning-delta') &&
        events.length === 1 &&
        started &&
        state.finishReason === finishReason &&
        state.usage === usage
      ) {
        const type = event.type;
        templateType = type;
        template.learn(data, event.text, (probe, probeText) =>
          mapsToDeltaOnly(state, probe, probeText, type),
        );
      }
      return events;
    },
    end() {
      if (state.finishReason === undefined) {
        throw new GatewayError(
          'GW_ERR_UPSTREAM_STREAM_ERROR',
          'The upstream stream ended before the answer was complete.',
        );
      }
      const finishReason = mapOpenAIFinishReason({
        finishReason: state.finishReason,
        hasOutput: state.hasOutput,
        hasToolCalls: state.toolCallCount > 0,
      });
      const end: StreamEvent = { type: 'response-end', finishReason };
      return state.usage === undefined ? [end] : [{ type: 'usage', usage: state.usage }, end];
    },
  };
  return mapper;
}

type DeltaType = 'text-delta' | 'reasoning-delta';

/**
 * Whether `data` maps, on a copy of `state`, to one event of `type` carrying `text` and nothing
 * else.
 */
function mapsToDeltaOnly(state: StreamState, data: string, text: string, type: DeltaType): boolean {
  const copy: StreamState = {
    started: state.started,
    id: state.id,
    hasOutput: state.hasOutput,
    finishReason: state.finishReason,
    usage: state.usage,
    toolCallIndexes: new Map(state.toolCallIndexes),
    toolCallCount: state.toolCallCount,
    lastToolCallId: state.lastToolCallId,
  };
  const events: StreamEvent[] = [];
  try {
    mapChunk(copy, data, events);
  } catch {
    return false;
  }
  const [event] = events;
  return (
    events.length === 1 &&
    event?.type === type &&
    event.text === text &&
    copy.finishReason === state.finishReason &&
    copy.usage === state.usage &&
    copy.toolCallCount === state.toolCallCount &&
    copy.lastToolCallId === state.lastToolCallId
  );
}

function mapChunk(state: StreamState, data: string, events: StreamEvent[]): void {
  const parsed = safeParseJson(data);
  if (!parsed.ok) throw badChunk('an event that is not valid JSON', parsed.error);
  const chunk = parsed.value;
  if (!isRecord(chunk)) throw badChunk('an event that is not a JSON object');
  if (chunk.error !== undefined && chunk.error !== null) {
    throw mapOpenAIErrorPayload(chunk.error, 'stream');
  }
  const { choices } = chunk;
  if (!Array.isArray(choices)) throw badChunk('a chunk without choices');
  if (!state.started) {
    state.started = true;
    state.id = typeof chunk.id === 'string' ? chunk.id : '';
    const model = typeof chunk.model === 'string' ? chunk.model : '';
    events.push({ type: 'response-start', id: state.id, model });
  }
  for (const choice of choices) {
    if (!isRecord(choice)) throw badChunk('a choice that is not an object');
    // Only the first choice is answered (a client asking for `n` > 1 gets choice 0).
    if ((choice.index ?? 0) !== 0) continue;
    if (isRecord(choice.delta)) mapDelta(state, choice.delta, events);
    if (typeof choice.finish_reason === 'string') state.finishReason = choice.finish_reason;
  }
  if (isRecord(chunk.usage)) state.usage = mapOpenAIUsage(chunk.usage);
}

function mapDelta(state: StreamState, delta: Record<string, unknown>, events: StreamEvent[]): void {
  const eventsBefore = events.length;
  // DeepSeek names reasoning `reasoning_content`; vLLM and OpenRouter `reasoning` (some vLLM
  // versions send both with the same text, so only one is read).
  const reasoning = nonEmptyString(delta.reasoning_content) ?? nonEmptyString(delta.reasoning);
  if (reasoning !== undefined) events.push({ type: 'reasoning-delta', text: reasoning });
  const text = nonEmptyString(delta.content);
  if (text !== undefined) events.push({ type: 'text-delta', text });
  const refusal = nonEmptyString(delta.refusal);
  if (refusal !== undefined) events.push({ type: 'refusal-delta', text: refusal });
  if (Array.isArray(delta.tool_calls)) mapToolCallDeltas(state, delta.tool_calls, events);
  if (events.length > eventsBefore) state.hasOutput = true;
}

function mapToolCallDeltas(state: StreamState, toolCalls: unknown[], events: StreamEvent[]): void {
  for (let position = 0; position < toolCalls.length; position += 1) {
    const call = toolCalls[position];
    if (!isRecord(call)) throw badChunk('a tool call that is not an object');
    const upstreamId = nonEmptyString(call.id);
    const callFunction = isRecord(call.function) ? call.function : undefined;
    let index = existingToolCallIndex(state, call.index, upstreamId, position);
    if (index === undefined) {
      const name = nonEmptyString(callFunction?.name);
      if (name === undefined) throw badChunk('a tool call without a name');
      index = state.toolCallCount;
      state.toolCallCount += 1;
      state.lastToolCallId = upstreamId;
      if (typeof call.index === 'number') state.toolCallIndexes.set(call.index, index);
      const id = upstreamId ?? synthesizeToolCallId(state.id, index);
      events.push({ type: 'tool-call-start', index, id, name });
    }
    const argumentsDelta = nonEmptyString(callFunction?.arguments);
    if (argumentsDelta !== undefined)
      events.push({ type: 'tool-call-delta', index, argumentsDelta });
  }
}

/**
 * The canonical index of the call a tool-call delta continues, or undefined when it starts a new
 * one. With an `index`, that index says. Without one, the delta continues the last call unless it
 * carries another id, or follows another call in the same chunk's array (two entries of one array
 * are two calls); a repeated name alone is not a new call.
 */
function existingToolCallIndex(
  state: StreamState,
  upstreamIndex: unknown,
  upstreamId: string | undefined,
  position: number,
): number | undefined {
  if (typeof upstreamIndex === 'number') return state.toolCallIndexes.get(upstreamIndex);
  if (state.toolCallCount === 0 || position > 0) return undefined;
  if (upstreamId !== undefined && upstreamId !== state.lastToolCallId) return undefined;
  return state.toolCallCount - 1;
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function badChunk(what: string, cause?: string): GatewayError {
  return new GatewayError(
    'GW_ERR_UPSTREAM_BAD_RESPONSE',
    `The upstream provider sent ${what} in its stream.`,
    cause === undefined ? {} : { cause },
  );
}
