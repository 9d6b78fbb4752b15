import { chunkTokens } from '../chunk-tokens.ts';
import type { RenderContext, StreamFrame, StreamPlan } from '../response-plan.ts';
import type { SimulatedAnswer } from '../simulated-answer.ts';
import { simulatedSignature } from '../simulated-id.ts';
import type { ReasoningMode } from '../simulation-input.ts';
import { geminiErrorBody } from './gemini-error.ts';
import {
  geminiFinishReason,
  geminiResponseId,
  geminiUsageMetadata,
} from './gemini-usage-metadata.ts';

/** `sse`: `data: …` events separated by CRLF CRLF, no terminator. `array`: one streamed JSON array. */
export type GeminiStreamFormat = 'sse' | 'array';

/**
 * A `streamGenerateContent` answer. Each chunk is a whole GenerateContentResponse with running
 * usage totals; thought parts (`thought: true`) come first when `includeThoughts` is set; a
 * function call arrives whole with a `thoughtSignature`; the last chunk carries `finishReason`.
 * @see https://ai.google.dev/api/generate-content#method:-models.streamgeneratecontent
 */
export function renderGeminiStream(options: {
  model: string;
  format: GeminiStreamFormat;
  reasoning: ReasoningMode;
  answer: SimulatedAnswer;
  context: RenderContext;
}): StreamPlan {
  const { answer, context, format } = options;
  const tail = `,"modelVersion":${JSON.stringify(options.model)},"responseId":"${geminiResponseId(context.sequence)}"}`;
  const frames: StreamFrame[] = [];
  const progress = { candidates: 0, thoughts: 0 };
  let items = 0;
  const item = (json: string): string => {
    if (format === 'sse') return `data: ${json}\r\n\r\n`;
    items += 1;
    return items === 1 ? `[${json}` : `,\r\n${json}`;
  };
  const chunk = (part: string, tokens: number, finish: boolean): void => {
    const finishJson = finish ? `"finishReason":"${geminiFinishReason(answer.finish)}",` : '';
    const usage = JSON.stringify(geminiUsageMetadata(answer.usage, progress));
    const json = `{"candidates":[{"content":{"parts":[${part}],"role":"model"},${finishJson}"index":0}],"usageMetadata":${usage}${tail}`;
    frames.push({ text: item(json), tokens, content: tokens > 0, final: finish });
  };

  if (options.reasoning === 'hidden' && answer.reasoningTokens.length > 0) {
    progress.thoughts = answer.reasoningTokens.length;
    frames.push({ text: '', tokens: progress.thoughts, content: false, final: false });
  }
  if (options.reasoning === 'visible') {
    for (const piece of chunkTokens(answer.reasoningTokens, context.tokensPerChunk)) {
      progress.thoughts += piece.length;
      chunk(`{"text":${JSON.stringify(piece.join(''))},"thought":true}`, piece.length, false);
    }
  }
  const toolCall = answer.toolCall;
  if (toolCall !== undefined) {
    progress.candidates = toolCall.tokens;
    const call = JSON.stringify({ name: toolCall.name, args: toolCall.arguments });
    const signature = simulatedSignature(context.sequence, toolCall.argumentsJson);
    chunk(`{"functionCall":${call},"thoughtSignature":"${signature}"}`, toolCall.tokens, true);
  } else {
    const pieces = chunkTokens(answer.textTokens, context.tokensPerChunk);
    if (pieces.length === 0) chunk('{"text":""}', 0, true);
    pieces.forEach((piece, index) => {
      progress.candidates += piece.length;
      chunk(
        `{"text":${JSON.stringify(piece.join(''))}}`,
        piece.length,
        index === pieces.length - 1,
      );
    });
  }
  if (format === 'array') frames.push({ text: ']', tokens: 0, content: false, final: true });

  const errorJson = JSON.stringify(geminiErrorBody(503, {}));
  const inArray = (json: string, written: number): string =>
    `${written > 0 ? ',\r\n' : '['}${json}]`;
  return {
    headers: {
      'content-type': format === 'sse' ? 'text/event-stream' : 'application/json; charset=UTF-8',
      'x-shepherd-simulator': 'gemini',
    },
    keepAlive: undefined,
    frames,
    errorFrame: (written) =>
      format === 'sse' ? `data: ${errorJson}\r\n\r\n` : inArray(errorJson, written),
    malformedFrame: (written) =>
      format === 'sse'
        ? 'data: {"candidates":[{"content":\r\n\r\n'
        : `${written > 0 ? ',\r\n' : '['}{"candidates":[`,
  };
}
