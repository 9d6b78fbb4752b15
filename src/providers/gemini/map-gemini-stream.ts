import type { FinishReason } from '../../canonical/finish-reason.ts';
import type { StreamEvent } from '../../canonical/stream-event.ts';
import type { Usage } from '../../canonical/usage.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { SseMessage } from '../../sse/sse-message.ts';
import { isRecord, safeParseJson } from '../../util/safe-parse-json.ts';
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
export async function* mapGeminiStream(
  messages: AsyncIterable<SseMessage>,
): AsyncGenerator<StreamEvent> {
  let state: StreamState | undefined;
  for await (const message of messages) {
    const chunk = parseChunk(message.data);
    if (state === undefined) {
      state = {
        responseId: chunk.responseId ?? '',
        toolCallCount: 0,
        usage: undefined,
        finishReason: undefined,
      };
      yield { type: 'response-start', id: state.responseId, model: chunk.modelVersion ?? '' };
    }
    if (chunk.usageMetadata) state.usage = mapGeminiUsage(chunk.usageMetadata);
    const candidate = chunk.candidates?.[0];
    for (const part of candidate?.content?.parts ?? []) yield* partEvents(part, state);
    if (candidate?.finishReason != null) {
      state.finishReason = mapGeminiFinishReason(candidate.finishReason, false);
    } else if (candidate === undefined && chunk.promptFeedback?.blockReason != null) {
      state.finishReason = 'content-filter';
    }
  }
  if (state?.finishReason === undefined) {
    throw new GatewayError(
      'GW_ERR_UPSTREAM_STREAM_ERROR',
      'The Gemini stream ended before the answer was complete.',
    );
  }
  if (state.usage !== undefined) yield { type: 'usage', usage: state.usage };
  yield {
    type: 'response-end',
    finishReason: state.toolCallCount > 0 ? 'tool-calls' : state.finishReason,
  };
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

function* partEvents(part: GeminiPartWire, state: StreamState): Generator<StreamEvent> {
  const signature = part.thoughtSignature ?? undefined;
  if (part.functionCall) {
    const index = state.toolCallCount;
    state.toolCallCount += 1;
    const id = geminiToolCallId({
      partId: part.functionCall.id,
      responseId: state.responseId,
      index,
    });
    yield signature === undefined
      ? { type: 'tool-call-start', index, id, name: part.functionCall.name }
      : { type: 'tool-call-start', index, id, name: part.functionCall.name, signature };
    yield {
      type: 'tool-call-delta',
      index,
      argumentsDelta: JSON.stringify(part.functionCall.args ?? {}),
    };
    return;
  }
  const text = part.text ?? '';
  if (text !== '') yield { type: part.thought === true ? 'reasoning-delta' : 'text-delta', text };
  if (signature !== undefined) yield { type: 'reasoning-signature', signature };
}
