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
  type GeminiUsageMetadataWire,
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
  /** The `usageMetadata` `usage` was mapped from, to tell whether a chunk's totals moved. */
  usageMetadata: GeminiUsageMetadataWire | undefined;
  finishReason: FinishReason | undefined;
}

/**
 * Maps `streamGenerateContent?alt=sse`. Every data message is a whole GenerateContentResponse:
 * the first opens the answer, text and thought parts become deltas, and a `functionCall` arrives
 * whole, so it becomes a start plus one delta holding all of its arguments. `usageMetadata` is a
 * running total sent on every chunk: it is reported whenever its counts change (so a stream cut
 * mid-way is billed Gemini's own input count, not an estimate), and the last one again before
 * the end. There is no `[DONE]`: the stream ends when the connection closes, and only a stream
 * that carried a finish reason (or a prompt block) is complete; any other end is a cut.
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
          usageMetadata: undefined,
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
  const usage = readMovedUsage(chunk.usageMetadata, state);
  const candidate = chunk.candidates?.[0];
  for (const part of candidate?.content?.parts ?? []) pushPartEvents(part, state, events);
  // Before the finish reason, which may fail the stream: the usage Google billed still counts.
  if (usage !== undefined) events.push({ type: 'usage', usage });
  if (candidate?.finishReason != null) {
    state.finishReason = mapGeminiFinishReason(candidate.finishReason, false);
  } else if (candidate === undefined && chunk.promptFeedback?.blockReason != null) {
    state.finishReason = 'content-filter';
  }
}

/** The chunk's usage when its counts moved since the last ones read (kept in `state`). */
function readMovedUsage(
  metadata: GeminiUsageMetadataWire | null | undefined,
  state: StreamState,
): Usage | undefined {
  if (metadata == null) return undefined;
  if (state.usageMetadata !== undefined && sameCounts(state.usageMetadata, metadata)) {
    return undefined;
  }
  state.usageMetadata = metadata;
  state.usage = mapGeminiUsage(metadata);
  return state.usage;
}

/** The counts `mapGeminiUsage` reads, compared field by field: this runs on every chunk. */
function sameCounts(previous: GeminiUsageMetadataWire, next: GeminiUsageMetadataWire): boolean {
  return (
    previous.promptTokenCount === next.promptTokenCount &&
    previous.candidatesTokenCount === next.candidatesTokenCount &&
    previous.thoughtsTokenCount === next.thoughtsTokenCount &&
    previous.toolUsePromptTokenCount === next.toolUsePromptTokenCount &&
    previous.cachedContentTokenCount === next.cachedContentTokenCount
  );
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
