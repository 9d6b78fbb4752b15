import type { ServerResponse } from 'node:http';
import type { FaultSpec } from './fault-spec.ts';
import type { LatencyProfile } from './latency-profile.ts';
import { sleep, tokensDueAt, waitWithKeepAlive, writeFlushed } from './pacing.ts';
import type { BodyPlan } from './response-plan.ts';

/**
 * Writes a non-streaming answer once all its tokens are "generated". Chunk faults map onto a
 * single body: `stallAfterChunks` stalls after the headers, `malformedAfterChunks` ends the body
 * halfway (invalid JSON), `cutAfterChunks` destroys the socket halfway through the body.
 */
export async function writeBodyPlan(options: {
  response: ServerResponse;
  plan: BodyPlan;
  profile: LatencyProfile;
  outputTokens: number;
  fault: FaultSpec | undefined;
  signal: AbortSignal;
}): Promise<void> {
  const { response, plan, profile, fault, signal } = options;
  const dueAt = performance.now() + tokensDueAt(profile, options.outputTokens);
  const half = plan.body.slice(0, Math.floor(plan.body.length / 2));
  const streamed = plan.keepAlive !== undefined;
  const headers: Record<string, string> = { ...plan.headers };
  if (!streamed && fault?.malformedAfterChunks === undefined) {
    headers['content-length'] = String(Buffer.byteLength(plan.body));
  }
  if (streamed || fault?.stallAfterChunks !== undefined || fault?.cutAfterChunks !== undefined) {
    response.writeHead(200, headers);
    response.flushHeaders();
  }
  await waitWithKeepAlive({ response, dueAt, keepAlive: plan.keepAlive, signal });
  if (fault?.stallAfterChunks !== undefined) await sleep(fault.stallMs ?? 0, signal);
  if (!response.headersSent) response.writeHead(200, headers);
  if (fault?.cutAfterChunks !== undefined) {
    await writeFlushed(response, half);
    response.destroy();
    return;
  }
  response.end(fault?.malformedAfterChunks === undefined ? plan.body : half);
}
