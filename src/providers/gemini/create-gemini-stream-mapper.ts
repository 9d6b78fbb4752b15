import { type FinishReason, finishWithToolCalls } from '../../canonical/finish-reason.ts';
import type { StreamEvent } from '../../canonical/stream-event.ts';
import type { Usage } from '../../canonical/usage.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { Mutable } from '../../util/mutable.ts';
import { isRecord, safeParseJson } from '../../util/safe-parse-json.ts';
import type { StreamEventMapper } from '../provider-adapter.ts';
import {
  type GeminiPartWire,
  type GeminiResponseWire,
  geminiResponseSchema,
} from './gemini-response-schemas.ts';
import { geminiToolCallId } from './gemini-tool-call-id.ts';
import { mapGeminiError } from './map-gemini-error.ts';
import { mapGeminiFinishReason } from './map-gemini-finish-reason.ts';
import { mapGeminiUsage } from './map-gemini-usage.ts';

interface StreamState {
  responseId: string;
  toolCallCount: number;
  usage: Usage | undefined;
  finishReason: FinishReason | undefined;
}

/**
 * Maps `streamGenerateContent?alt=sse`. Every data message is a whole GenerateContentResponse:
 * the first opens the answer, text and thought parts become deltas, and a `functionCall` arrives
 * whole, so it becomes a start plus one delta holding all of its arguments. `usageMetadata` is a
 * running total: the last one is kept and reported once, before the end. There is no `[DONE]`:
 * the stream ends when the connection closes, and only a stream that carried a finish reason (or
 * a prompt block) is complete; any other end is a cut.
 *
 * @see https://ai.google.dev/api/generate-content#method:-models.streamgeneratecontent
 */
export function createGeminiStreamMapper(): StreamEventMapper {
  let state: StreamState | undefined;
  /** A failure after this message's first events: they go out first, then `end` throws it. */
  let failure: unknown;
  // A plain property, not a getter (see `Mutable`).
  const mapper: Mutable<StreamEventMapper> = {
    complete: false,
    push(message) {
      const chunk = parseChunk(message.data);
      const events: StreamEvent[] = [];
      if (state === undefined) {
        state = {
          responseId: chunk.responseId ?? '',
          toolCallCount: 0,
          usage: undefined,
          finishReason: undefined,
        };
        events.push({
          type: 'response-start',
          id: state.responseId,
          model: chunk.modelVersion ?? '',
        });
      }
      try {
        mapChunk(chunk, state, events);
      } catch (error) {
        if (events.length === 0) throw error;
        failure = error;
        mapper.complete = true;
      }
      return events;
    },
    end() {
      if (failure !== undefined) throw failure;
      if (state?.finishReason === undefined) {
        throw new GatewayError(
          'GW_ERR_UPSTREAM_STREAM_ERROR',
          'The Gemini stream ended before the answer was complete.',
        );
      }
      const end: StreamEvent = {
        type: 'response-end',
        finishReason: finishWithToolCalls(state.finishReason, state.toolCallCount > 0),
      };
      return state.usage === undefined ? [end] : [{ type: 'usage', usage: state.usage }, end];
    },
  };
  return mapper;
}

function mapChunk(chunk: GeminiResponseWire, state: StreamState, events: StreamEvent[]): void {
  if (chunk.usageMetadata) state.usage = mapGeminiUsage(chunk.usageMetadata);
  const candidate = chunk.candidates?.[0];
  for (const part of candidate?.content?.parts ?? []) pushPartEvents(part, state, events);
  if (candidate?.finishReason != null) {
    state.finishReason = mapGeminiFinishReason(candidate.finishReason, false);
  } else if (candidate === undefined && chunk.promptFeedback?.blockReason != null) {
    state.finishReason = 'content-filter';
  }
}

function parseChunk(data: string): GeminiResponseWire {
  const json = safeParseJson(data);
  if (!json.ok) {
    throw new GatewayError(
      'GW_ERR_UPSTREAM_BAD_RESPONSE',
      'The Gemini stream sent an event that is not valid JSON.',
      { cause: json.error },
    );
  }
  if (isRecord(json.value) && json.value.error != null) {
    const code = isRecord(json.value.error) ? json.value.error.code : undefined;
    throw mapGeminiError({
      status: typeof code === 'number' && code >= 400 ? code : 500,
      headers: {},
      body: data,
    });
  }
  const parsed = geminiResponseSchema.safeParse(json.value);
  if (!parsed.success) {
    throw new GatewayError(
      'GW_ERR_UPSTREAM_BAD_RESPONSE',
      'The Gemini stream sent an event the gateway could not read.',
      { cause: parsed.error },
    );
  }
  return parsed.data;
}

function pushPartEvents(part: GeminiPartWire, state: StreamState, events: StreamEvent[]): void {
  const signature = part.thoughtSignature ?? undefined;
  if (part.functionCall) {
    const index = state.toolCallCount;
    state.toolCallCount += 1;
    const id = geminiToolCallId({
      partId: part.functionCall.id,
      responseId: state.responseId,
      index,
    });
    events.push(
      signature === undefined
        ? { type: 'tool-call-start', index, id, name: part.functionCall.name }
        : { type: 'tool-call-start', index, id, name: part.functionCall.name, signature },
      {
        type: 'tool-call-delta',
        index,
        argumentsDelta: JSON.stringify(part.functionCall.args ?? {}),
      },
    );
    return;
  }
  const text = part.text ?? '';
  if (text !== '')
    events.push({ type: part.thought === true ? 'reasoning-delta' : 'text-delta', text });
  if (signature !== undefined) events.push({ type: 'reasoning-signature', signature });
}
