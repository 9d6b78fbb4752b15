import { chunkTokens } from '../chunk-tokens.ts';
import type { RenderContext, StreamFrame, StreamPlan } from '../response-plan.ts';
import type { SimulatedAnswer } from '../simulated-answer.ts';
import type { ReasoningMode } from '../simulation-input.ts';
import { chatCompletionsErrorBody } from './chat-completions-error.ts';
import {
  type ChatCompletionsFlavor,
  completionId,
  requestId,
  SYSTEM_FINGERPRINT,
  toolCallId,
} from './chat-completions-flavor.ts';
import { renderChatCompletionsUsage } from './chat-completions-usage.ts';
import { finishReasonOf } from './finish-reason-of.ts';

const PADDING_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * OpenAI pads every chunk with an `obfuscation` string of random letters and digits, of a length
 * that varies from chunk to chunk (2 to 10 in the recorded fixtures). Ours varies the same way,
 * derived from the request and the frame so a run is repeatable: a client or gateway that relied on
 * chunks being alike but for their text would pass here and fail against OpenAI.
 */
function obfuscation(sequence: number, frame: number): string {
  let state = (Math.imul(sequence, 0x9e3779b1) ^ Math.imul(frame + 1, 0x85ebca6b)) >>> 0;
  const length = 2 + (state % 15);
  let padding = '';
  for (let index = 0; index < length; index += 1) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    padding += PADDING_ALPHABET[(state >>> 16) % PADDING_ALPHABET.length];
  }
  return padding;
}

/**
 * A Chat Completions stream. OpenAI: role chunk first (`content: ""`), `"usage":null` on every
 * chunk, the usage in a separate `choices: []` chunk only with `include_usage`, then `[DONE]`.
 * DeepSeek: no `usage` key until the finish chunk, which carries it; `reasoning_content` deltas
 * before `content`.
 * @see https://platform.openai.com/docs/api-reference/chat-streaming
 * @see https://api-docs.deepseek.com/guides/reasoning_model
 */
export function renderChatCompletionsStream(options: {
  flavor: ChatCompletionsFlavor;
  model: string;
  includeUsage: boolean;
  reasoning: ReasoningMode;
  answer: SimulatedAnswer;
  context: RenderContext;
}): StreamPlan {
  const { flavor, answer, context } = options;
  const isOpenai = flavor === 'openai';
  const id = completionId(flavor, context.sequence);
  const envelope = `{"id":"${id}","object":"chat.completion.chunk","created":${context.createdSeconds},"model":${JSON.stringify(options.model)},${isOpenai ? '"service_tier":"default",' : ''}"system_fingerprint":"${SYSTEM_FINGERPRINT}",`;
  const head = `data: ${envelope}"choices":[{"index":0,"delta":`;
  const frames: StreamFrame[] = [];
  /** What follows `choices` in every chunk but the usage chunk: `}` when not OpenAI. */
  const chunkEnd = (): string =>
    isOpenai
      ? `,"usage":null,"obfuscation":"${obfuscation(context.sequence, frames.length)}"}`
      : '}';
  const openTail = ',"logprobs":null,"finish_reason":null}]';
  const visibleReasoning = options.reasoning === 'visible';
  const delta = (json: string, tokens: number, content: boolean): void => {
    frames.push({
      text: `${head}${json}${openTail}${chunkEnd()}\n\n`,
      tokens,
      content,
      final: false,
    });
  };

  if (options.reasoning === 'hidden' && answer.reasoningTokens.length > 0) {
    frames.push({ text: '', tokens: answer.reasoningTokens.length, content: false, final: false });
  }
  const toolCall = answer.toolCall;
  const toolHeader =
    toolCall === undefined
      ? ''
      : `"tool_calls":[{"index":0,"id":"${toolCallId(flavor, context.sequence)}","type":"function","function":{"name":${JSON.stringify(toolCall.name)},"arguments":""}}]`;
  if (isOpenai && toolCall !== undefined) {
    delta(`{"role":"assistant","content":null,${toolHeader},"refusal":null}`, 1, true);
  } else if (isOpenai) {
    delta('{"role":"assistant","content":"","refusal":null}', 0, false);
  } else {
    delta(
      visibleReasoning
        ? '{"role":"assistant","content":null,"reasoning_content":""}'
        : '{"role":"assistant","content":""}',
      0,
      false,
    );
  }
  if (visibleReasoning) {
    for (const chunk of chunkTokens(answer.reasoningTokens, context.tokensPerChunk)) {
      delta(
        `{"content":null,"reasoning_content":${JSON.stringify(chunk.join(''))}}`,
        chunk.length,
        true,
      );
    }
  }
  if (toolCall !== undefined) {
    if (!isOpenai) delta(`{${toolHeader}}`, 1, true);
    for (const piece of toolCall.argumentPieces) {
      const json = `{"tool_calls":[{"index":0,"function":{"arguments":${JSON.stringify(piece)}}}]}`;
      delta(json, Math.ceil(piece.length / 4), true);
    }
  }
  const textSuffix = visibleReasoning ? ',"reasoning_content":null}' : '}';
  for (const chunk of chunkTokens(answer.textTokens, context.tokensPerChunk)) {
    delta(`{"content":${JSON.stringify(chunk.join(''))}${textSuffix}`, chunk.length, true);
  }

  const usage = JSON.stringify(renderChatCompletionsUsage(flavor, answer.usage));
  const finishDelta = isOpenai ? '{}' : `{"content":""${textSuffix}`;
  const finishUsage = isOpenai ? chunkEnd() : `,"usage":${usage}}`;
  const finishReason = finishReasonOf(answer.finish);
  frames.push({
    text: `${head}${finishDelta},"logprobs":null,"finish_reason":"${finishReason}"}]${finishUsage}\n\n`,
    tokens: 0,
    content: false,
    final: true,
  });
  if (isOpenai && options.includeUsage) {
    const padding = obfuscation(context.sequence, frames.length);
    const text = `data: ${envelope}"choices":[],"usage":${usage},"obfuscation":"${padding}"}\n\n`;
    frames.push({ text, tokens: 0, content: false, final: true });
  }
  frames.push({ text: 'data: [DONE]\n\n', tokens: 0, content: false, final: true });

  const errorJson = JSON.stringify(chatCompletionsErrorBody(flavor, 500, {}));
  return {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-request-id': requestId(context.sequence),
      'x-shepherd-simulator': flavor,
    },
    keepAlive: isOpenai ? undefined : ': keep-alive\n\n',
    frames,
    errorFrame: () => `data: ${errorJson}\n\n`,
    malformedFrame: () => `data: ${envelope}"choices":[{"index":0,"delta":{"content":\n\n`,
  };
}
