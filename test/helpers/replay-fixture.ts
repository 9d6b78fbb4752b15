import { readFile } from 'node:fs/promises';
import type { StreamEvent } from '../../src/canonical/stream-event.ts';
import { decodeSse } from '../../src/sse/decode-sse.ts';
import type { SseMessage } from '../../src/sse/sse-message.ts';

/** Deterministic PRNG (mulberry32) so a failing split can be reproduced from its seed. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Splits bytes at random offsets (including inside CRLF pairs and UTF-8 sequences). */
export function splitAtRandomOffsets(bytes: Uint8Array, seed: number): Uint8Array[] {
  const random = createRandom(seed);
  const pieces: Uint8Array[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const size = 1 + Math.floor(random() * 40);
    pieces.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  return pieces;
}

export async function* iterate<T>(items: Iterable<T>): AsyncGenerator<T> {
  for (const item of items) yield item;
}

export async function readFixtureBytes(url: URL): Promise<Uint8Array> {
  return new Uint8Array(await readFile(url));
}

/** Decodes fixture bytes, delivered in the given pieces, into SSE messages. */
export function sseMessagesOf(pieces: Uint8Array[]): AsyncIterable<SseMessage> {
  return decodeSse(iterate(pieces));
}

export async function collectEvents(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const collected: StreamEvent[] = [];
  for await (const event of events) collected.push(event);
  return collected;
}

/**
 * Maps a recorded stream whole and re-split at `splits` random offsets, and returns the events of the
 * whole-file run after checking every split run produced identical events.
 */
export async function mapFixtureAtEverySplit(options: {
  bytes: Uint8Array;
  mapStream: (messages: AsyncIterable<SseMessage>) => AsyncIterable<StreamEvent>;
  splits?: number;
  assertEqual: (actual: unknown, expected: unknown, message: string) => void;
}): Promise<StreamEvent[]> {
  const whole = await collectEvents(options.mapStream(sseMessagesOf([options.bytes])));
  const splits = options.splits ?? 25;
  for (let seed = 1; seed <= splits; seed += 1) {
    const pieces = splitAtRandomOffsets(options.bytes, seed);
    const events = await collectEvents(options.mapStream(sseMessagesOf(pieces)));
    options.assertEqual(events, whole, `split with seed ${seed} changed the events`);
  }
  return whole;
}
