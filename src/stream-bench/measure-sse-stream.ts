import * as z from 'zod';
import { decodeSse } from '../sse/decode-sse.ts';
import { isRecord, safeParseJson } from '../util/safe-parse-json.ts';
import { BenchRequestError } from './bench-request-error.ts';
import type { StreamMeasurement } from './bench-types.ts';

/** Bytes as they arrived, with the arrival time on the same clock as `startedAtMs`. */
export interface TimedChunk {
  atMs: number;
  bytes: Uint8Array | string;
}

// Lenient: servers add fields freely, and only the delta kinds, finish reason and usage matter here.
const deltaSchema = z.object({
  content: z.string().nullish(),
  reasoning_content: z.string().nullish(),
  reasoning: z.string().nullish(),
  tool_calls: z.array(z.unknown()).nullish(),
});

const chunkSchema = z.object({
  choices: z
    .array(z.object({ delta: deltaSchema.nullish(), finish_reason: z.string().nullish() }))
    .nullish(),
  usage: z.object({ completion_tokens: z.number().nullish() }).nullish(),
  error: z.unknown().optional(),
});

type Delta = z.infer<typeof deltaSchema>;

const PREVIEW_CHARACTERS = 120;

/**
 * Measures one OpenAI chat-completions stream (protocols.md §6): TTFT is the arrival of the first
 * chunk carrying content, reasoning or a tool call; the end is the arrival of the last byte.
 * Completion tokens come from the last usage chunk, else from counting token chunks. Throws a
 * BenchRequestError for an error event, data that is not a chunk, a stream that ends with neither
 * a finish reason nor `[DONE]` (cut), and a finished stream with no tokens (`noTokens`).
 */
export async function measureSseStream(options: {
  chunks: AsyncIterable<TimedChunk>;
  startedAtMs: number;
}): Promise<StreamMeasurement> {
  let arrivedAtMs = options.startedAtMs;
  // decodeSse yields every message a chunk completes before it pulls the next chunk, so while a
  // message is handled `arrivedAtMs` is the arrival of the bytes that completed it.
  async function* bytes(): AsyncGenerator<Uint8Array | string> {
    for await (const chunk of options.chunks) {
      arrivedAtMs = chunk.atMs;
      yield chunk.bytes;
    }
  }
  let firstTokenAtMs: number | undefined;
  let tokenChunks = 0;
  let usageTokens: number | undefined;
  let finishReason: string | null = null;
  let sawDone = false;
  for await (const message of decodeSse(bytes())) {
    if (sawDone) continue;
    if (message.data === '[DONE]') {
      sawDone = true;
      continue;
    }
    if (message.event === 'error') {
      throw new BenchRequestError(`the stream ended with an error event: ${preview(message.data)}`);
    }
    const parsed = safeParseJson(message.data);
    if (!parsed.ok) {
      throw new BenchRequestError(
        `the stream sent data that is not JSON: ${preview(message.data)}`,
      );
    }
    const chunk = chunkSchema.safeParse(parsed.value);
    if (!chunk.success) {
      throw new BenchRequestError(
        `the stream sent something other than a chat completion chunk: ${preview(message.data)}`,
      );
    }
    if (chunk.data.error !== undefined && chunk.data.error !== null) {
      throw new BenchRequestError(`the stream ended with an error: ${describeError(parsed.value)}`);
    }
    const choices = chunk.data.choices ?? [];
    if (choices.some((choice) => carriesTokens(choice.delta))) {
      tokenChunks += 1;
      firstTokenAtMs ??= arrivedAtMs;
    }
    for (const choice of choices) {
      if (typeof choice.finish_reason === 'string') finishReason = choice.finish_reason;
    }
    const reported = chunk.data.usage?.completion_tokens;
    if (typeof reported === 'number') usageTokens = reported;
  }
  if (!sawDone && finishReason === null) {
    throw new BenchRequestError(
      'the stream ended before the answer was complete (no finish_reason and no [DONE])',
    );
  }
  if (firstTokenAtMs === undefined) {
    throw new BenchRequestError(
      'the stream finished without any content, reasoning or tool-call delta ' +
        `(finish_reason ${finishReason ?? 'none'}; did hidden reasoning use up max_tokens?)`,
      { noTokens: true },
    );
  }
  return {
    ttftMs: firstTokenAtMs - options.startedAtMs,
    totalMs: arrivedAtMs - options.startedAtMs,
    completionTokens: usageTokens ?? tokenChunks,
    tokensFrom: usageTokens === undefined ? 'chunks' : 'usage',
    tokenChunks,
    finishReason,
  };
}

function carriesTokens(delta: Delta | null | undefined): boolean {
  if (delta === null || delta === undefined) return false;
  return (
    (delta.content ?? '') !== '' ||
    (delta.reasoning_content ?? '') !== '' ||
    (delta.reasoning ?? '') !== '' ||
    (delta.tool_calls ?? []).length > 0
  );
}

function describeError(value: unknown): string {
  const error = isRecord(value) ? value.error : undefined;
  if (isRecord(error) && typeof error.message === 'string') return error.message;
  if (typeof error === 'string') return error;
  return preview(JSON.stringify(value));
}

function preview(text: string): string {
  return text.length > PREVIEW_CHARACTERS ? `${text.slice(0, PREVIEW_CHARACTERS)}…` : text;
}
