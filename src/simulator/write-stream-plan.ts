import type { ServerResponse } from 'node:http';
import type { FaultSpec } from './fault-spec.ts';
import type { LatencyProfile } from './latency-profile.ts';
import { sleep, tokensDueAt, waitWithKeepAlive, writeFlushed, writeText } from './pacing.ts';
import type { StreamFrame, StreamPlan } from './response-plan.ts';

/**
 * Where a fault "after N content chunks" fires: before the (N+1)-th content frame, and at the
 * latest before the first final frame, so a fault always shows even on a short answer.
 */
export function faultPosition(
  frames: readonly StreamFrame[],
  afterChunks: number | undefined,
): number {
  if (afterChunks === undefined) return -1;
  let seen = 0;
  for (let index = 0; index < frames.length; index++) {
    const frame = frames[index];
    if (frame === undefined || frame.final) return index;
    if (frame.content) {
      if (seen === afterChunks) return index;
      seen += 1;
    }
  }
  return frames.length;
}

/**
 * Writes a stream plan paced by the latency profile, with the mid-stream faults of `fault`.
 * Frames due at the same moment go out in one write; with instant latency the whole stream is one
 * write. Rejects with an AbortError when the client disconnects.
 */
export async function writeStreamPlan(options: {
  response: ServerResponse;
  plan: StreamPlan;
  profile: LatencyProfile;
  fault: FaultSpec | undefined;
  signal: AbortSignal;
}): Promise<void> {
  const { response, plan, profile, fault, signal } = options;
  const frames = plan.frames;
  const stallAt =
    fault?.stallAfterChunks === undefined ? -1 : faultPosition(frames, fault.stallAfterChunks);
  const malformedAt = faultPosition(frames, fault?.malformedAfterChunks);
  const errorAt = faultPosition(frames, fault?.errorEventAfterChunks);
  const cutAt = faultPosition(frames, fault?.cutAfterChunks);

  response.writeHead(200, plan.headers);
  let start = performance.now();
  const firstTokenAt = start + profile.timeToFirstTokenMs;
  await waitWithKeepAlive({ response, dueAt: firstTokenAt, keepAlive: plan.keepAlive, signal });

  let pending = '';
  let tokens = 0;
  let contentWritten = 0;
  for (let index = 0; index <= frames.length; index++) {
    if (index === stallAt) {
      await writeText(response, pending, signal);
      pending = '';
      await sleep(fault?.stallMs ?? 0, signal);
      start += fault?.stallMs ?? 0;
    }
    if (index === malformedAt) pending += plan.malformedFrame(contentWritten);
    if (index === errorAt) {
      response.end(pending + plan.errorFrame(contentWritten));
      return;
    }
    if (index === cutAt) {
      await writeFlushed(response, pending);
      response.destroy();
      return;
    }
    const frame = frames[index];
    if (frame === undefined) break;
    tokens += frame.tokens;
    const dueAt = start + tokensDueAt(profile, tokens);
    if (dueAt > performance.now()) {
      await writeText(response, pending, signal);
      pending = '';
      await sleep(dueAt - performance.now(), signal);
    }
    pending += frame.text;
    if (frame.content) contentWritten += 1;
  }
  response.end(pending);
}
