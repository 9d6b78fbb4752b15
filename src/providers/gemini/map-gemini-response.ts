import type {
  AssistantContentPart,
  ReasoningPart,
  ToolCallPart,
} from '../../canonical/chat-request.ts';
import type { ChatResponse } from '../../canonical/chat-response.ts';
import type { FinishReason } from '../../canonical/finish-reason.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import { type GeminiPartWire, geminiResponseSchema } from './gemini-response-schemas.ts';
import { geminiToolCallId } from './gemini-tool-call-id.ts';
import { mapGeminiFinishReason } from './map-gemini-finish-reason.ts';
import { mapGeminiUsage } from './map-gemini-usage.ts';

/**
 * Maps a `generateContent` body. Each part keeps its own canonical part: `text`, `thought: true`
 * text → reasoning, `functionCall` → tool call (its `thoughtSignature` kept as the call's
 * signature). A signature on a text part is kept as a signature-only reasoning part right after
 * it, so it can be echoed on the next turn. A prompt blocked before generation (no candidates,
 * `promptFeedback.blockReason`) is an empty answer filtered for content.
 *
 * @see https://ai.google.dev/api/generate-content#v1beta.GenerateContentResponse
 * @see https://ai.google.dev/gemini-api/docs/thought-signatures
 */
export function mapGeminiResponse(body: unknown): ChatResponse {
  const parsed = geminiResponseSchema.safeParse(body);
  if (!parsed.success) {
    throw new GatewayError(
      'GW_ERR_UPSTREAM_BAD_RESPONSE',
      'The Gemini API returned a response the gateway could not read.',
      { cause: parsed.error },
    );
  }
  const response = parsed.data;
  const id = response.responseId ?? '';
  // None reported: the pipeline bills an estimate.
  const usage = response.usageMetadata ? mapGeminiUsage(response.usageMetadata) : undefined;
  const candidate = response.candidates?.[0];
  if (candidate === undefined) {
    if (response.promptFeedback?.blockReason == null) {
      throw new GatewayError(
        'GW_ERR_UPSTREAM_BAD_RESPONSE',
        'The Gemini API returned no candidates and no block reason.',
      );
    }
    return {
      id,
      model: response.modelVersion ?? '',
      content: [],
      finishReason: 'content-filter',
      usage,
    };
  }
  const content = mapParts(candidate.content?.parts ?? [], id);
  const hasToolCalls = content.some((part) => part.type === 'tool-call');
  // A finished non-streamed answer always names its reason; an absent one is read as STOP.
  const finishReason: FinishReason = mapGeminiFinishReason(
    candidate.finishReason ?? 'STOP',
    hasToolCalls,
  );
  return { id, model: response.modelVersion ?? '', content, finishReason, usage };
}

function mapParts(parts: readonly GeminiPartWire[], responseId: string): AssistantContentPart[] {
  const content: AssistantContentPart[] = [];
  let toolCallIndex = 0;
  for (const part of parts) {
    const signature = part.thoughtSignature ?? undefined;
    if (part.functionCall) {
      const call: ToolCallPart = {
        type: 'tool-call',
        id: geminiToolCallId({
          partId: part.functionCall.id,
          responseId,
          index: toolCallIndex,
        }),
        name: part.functionCall.name,
        arguments: JSON.stringify(part.functionCall.args ?? {}),
      };
      if (signature !== undefined) call.signature = signature;
      content.push(call);
      toolCallIndex += 1;
    } else if (part.thought === true) {
      const reasoning: ReasoningPart = { type: 'reasoning', text: part.text ?? '' };
      if (signature !== undefined) reasoning.signature = signature;
      content.push(reasoning);
    } else {
      const text = part.text ?? '';
      if (text !== '') content.push({ type: 'text', text });
      if (signature !== undefined) content.push({ type: 'reasoning', text: '', signature });
    }
  }
  return content;
}
