import * as z from 'zod';
import { decodeSse } from '../../src/sse/decode-sse.ts';
import { safeParseJson } from '../../src/util/safe-parse-json.ts';

const chunkSchema = z.looseObject({
  choices: z.array(z.looseObject({ delta: z.looseObject({ content: z.string().nullish() }) })),
  usage: z
    .looseObject({
      prompt_tokens: z.number(),
      completion_tokens: z.number(),
      /** Wallet units, when the gateway charged the request. */
      cost: z.number().optional(),
    })
    .nullish(),
});

export interface ReadChatStream {
  /** The answer text the client received. */
  text: string;
  /** Frames that carried answer text. */
  contentChunks: number;
  usage: z.infer<typeof chunkSchema>['usage'];
  /** The stream ended with `data: [DONE]`. */
  done: boolean;
  /** The payload of an error frame, if one arrived. */
  error: string | undefined;
}

/**
 * Reads an OpenAI chat-completions SSE body as a client does. With `stopAfterContentChunks` it stops
 * reading once that many answer frames arrived (the caller then drops the connection).
 */
export async function readChatStream(
  body: AsyncIterable<Uint8Array | string>,
  options: { stopAfterContentChunks?: number } = {},
): Promise<ReadChatStream> {
  const result: ReadChatStream = {
    text: '',
    contentChunks: 0,
    usage: undefined,
    done: false,
    error: undefined,
  };
  for await (const message of decodeSse(body)) {
    if (message.data === '[DONE]') {
      result.done = true;
      break;
    }
    const parsed = safeParseJson(message.data);
    const chunk = parsed.ok ? chunkSchema.safeParse(parsed.value) : undefined;
    if (chunk === undefined || !chunk.success) {
      result.error = message.data;
      continue;
    }
    if (chunk.data.usage !== undefined && chunk.data.usage !== null)
      result.usage = chunk.data.usage;
    const content = chunk.data.choices[0]?.delta.content;
    if (typeof content === 'string' && content !== '') {
      result.text += content;
      result.contentChunks += 1;
      if (result.contentChunks === options.stopAfterContentChunks) break;
    }
  }
  return result;
}

/** Wallet units as a JSON number (the gateway's `usage.cost`) back to micro-units. */
export function unitsToMicros(units: number): bigint {
  return BigInt(Math.round(units * 1_000_000));
}
