import type { IncomingMessage, ServerResponse } from 'node:http';
import { safeParseJson } from '../util/safe-parse-json.ts';
import type { FaultController } from './create-fault-controller.ts';
import type { PromptCache } from './create-prompt-cache.ts';
import { describeZodIssues } from './describe-zod-issues.ts';
import { type FaultSpec, faultSpecSchema } from './fault-spec.ts';
import type { LatencyProfile } from './latency-profile.ts';
import { sleep } from './pacing.ts';
import { planSimulatedAnswer } from './plan-simulated-answer.ts';
import { REVOKED_KEY_MARKER, readPresentedKey } from './read-presented-key.ts';
import { sendReply } from './send-reply.ts';
import type { SimulatorDialect } from './simulator-dialect.ts';
import { writeBodyPlan } from './write-body-plan.ts';
import { writeStreamPlan } from './write-stream-plan.ts';

export const FAULT_HEADER = 'x-simulator-fault';

type FaultLookup = { ok: true; fault: FaultSpec | undefined } | { ok: false; message: string };

/** A per-request header fault wins over (and does not use up) the armed ones. */
function findFault(request: IncomingMessage, faults: FaultController, model: string): FaultLookup {
  const header = request.headers[FAULT_HEADER];
  const text = Array.isArray(header) ? header[0] : header;
  if (text === undefined) return { ok: true, fault: faults.take(model) };
  const json = safeParseJson(text);
  if (!json.ok) return { ok: false, message: `Invalid ${FAULT_HEADER} header: ${json.error}` };
  const parsed = faultSpecSchema.safeParse(json.value);
  if (!parsed.success) {
    return {
      ok: false,
      message: `Invalid ${FAULT_HEADER} header: ${describeZodIssues(parsed.error)}`,
    };
  }
  const matches = parsed.data.model === undefined || parsed.data.model === model;
  return { ok: true, fault: matches && faults.fires(parsed.data) ? parsed.data : undefined };
}

export interface ChatRequestContext {
  faults: FaultController;
  promptCache: PromptCache;
  resolveLatency(model: string): LatencyProfile;
}

/**
 * One generation request in one dialect: authenticate, validate, apply faults, then answer paced
 * by the model's latency profile. Rejects with an AbortError when the client goes away.
 */
export async function handleChatRequest(options: {
  request: IncomingMessage;
  response: ServerResponse;
  url: URL;
  body: unknown;
  dialect: SimulatorDialect;
  sequence: number;
  context: ChatRequestContext;
  signal: AbortSignal;
}): Promise<void> {
  const { request, response, dialect, sequence, context, signal } = options;
  if (!dialect.hasApiKey(request.headers, options.url)) {
    sendReply(response, dialect.errorReply(401, { sequence, message: dialect.missingKeyMessage }));
    return;
  }
  const presented = readPresentedKey(request.headers, options.url);
  if (presented?.includes(REVOKED_KEY_MARKER) === true) {
    // Gemini answers a bad key with 400 INVALID_ARGUMENT (API_KEY_INVALID), the others with 401.
    const status = dialect.name === 'gemini' ? 400 : 401;
    const message = `API key not valid: ${presented}. This key has been revoked.`;
    sendReply(response, dialect.errorReply(status, { sequence, message }));
    return;
  }
  const parsed = dialect.parse(options.body, { url: options.url, sequence });
  if (!parsed.ok) {
    sendReply(response, parsed.reply);
    return;
  }
  const { exchange } = parsed;
  const model = exchange.input.model;
  const lookup = findFault(request, context.faults, model);
  if (!lookup.ok) {
    sendReply(response, dialect.errorReply(400, { sequence, message: lookup.message }));
    return;
  }
  const fault = lookup.fault;
  if (fault?.resetConnection === true) {
    request.socket.destroy();
    return;
  }
  if (fault?.stallMs !== undefined && fault.stallAfterChunks === undefined)
    await sleep(fault.stallMs, signal);
  if (fault?.status !== undefined) {
    const retry =
      fault.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: fault.retryAfterSeconds };
    sendReply(response, dialect.errorReply(fault.status, { sequence, ...retry }));
    return;
  }
  if (!exchange.stream && fault?.errorEventAfterChunks !== undefined) {
    sendReply(response, dialect.errorReply(dialect.midStreamErrorStatus, { sequence }));
    return;
  }

  const cache = context.promptCache.lookup(
    `${dialect.name}\u0000${model}`,
    exchange.input.segments,
  );
  const answer = planSimulatedAnswer(exchange.input, cache);
  const profile = context.resolveLatency(model);
  const renderContext = {
    sequence,
    createdSeconds: Math.floor(Date.now() / 1000),
    tokensPerChunk: profile.tokensPerChunk ?? dialect.defaultTokensPerChunk,
  };
  if (exchange.stream) {
    const plan = exchange.renderStream(answer, renderContext);
    await writeStreamPlan({ response, plan, profile, fault, signal });
    return;
  }
  const plan = exchange.renderBody(answer, renderContext);
  await writeBodyPlan({
    response,
    plan,
    profile,
    outputTokens: answer.usage.outputTokens,
    fault,
    signal,
  });
}
