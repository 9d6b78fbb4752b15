import type { IncomingMessage, ServerResponse } from 'node:http';
import { isRecord, safeParseJson } from '../util/safe-parse-json.ts';
import { anthropicDialect } from './anthropic/anthropic-dialect.ts';
import { deepseekDialect, openaiDialect } from './chat-completions/chat-completions-dialect.ts';
import { renderModelsList } from './chat-completions/render-models-list.ts';
import type { RequestLog } from './create-request-log.ts';
import { maskHeaders, maskPath } from './create-request-log.ts';
import { geminiDialect } from './gemini/gemini-dialect.ts';
import { handleAdminRequest } from './handle-admin-request.ts';
import { type ChatRequestContext, handleChatRequest } from './handle-chat-request.ts';
import { matchSimulatorRoute, type SimulatorRoute } from './match-simulator-route.ts';
import { readRequestBody } from './read-request-body.ts';
import { sendReply } from './send-reply.ts';
import type { SimulatorDialect } from './simulator-dialect.ts';

export interface SimulatorContext extends ChatRequestContext {
  requests: RequestLog;
  /** Every in-flight request's controller, so closing the simulator stops them all. */
  inFlight: Set<AbortController>;
  nextSequence(): number;
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  const json = safeParseJson(text);
  return json.ok ? json.value : text;
}

type GenerationRoute = Exclude<SimulatorRoute, { kind: 'admin-faults' } | { kind: 'models' }>;

/** The same path serves OpenAI and DeepSeek: the model name decides whose behaviour you get. */
function dialectFor(route: GenerationRoute, body: unknown): SimulatorDialect {
  if (route.kind === 'anthropic-messages') return anthropicDialect;
  if (route.kind === 'gemini') return geminiDialect;
  const model = isRecord(body) && typeof body.model === 'string' ? body.model : '';
  return model.startsWith('deepseek') ? deepseekDialect : openaiDialect;
}

async function handleRequest(
  context: SimulatorContext,
  request: IncomingMessage,
  response: ServerResponse,
  signal: AbortSignal,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://simulator.invalid');
  const method = request.method ?? 'GET';
  const route = matchSimulatorRoute(method, url.pathname);
  if (route?.kind === 'admin-faults') {
    await handleAdminRequest({ request, response, faults: context.faults });
    return;
  }
  const text = await readRequestBody(request);
  if (text === undefined) {
    const body =
      '{"error":{"message":"Request body too large for the simulator","type":"invalid_request_error"}}';
    sendReply(response, {
      status: 413,
      headers: { 'content-type': 'application/json', connection: 'close' },
      body,
    });
    return;
  }
  const body = parseBody(text);
  context.requests.record({
    method,
    path: maskPath(request.url ?? '/'),
    headers: maskHeaders(request.headers),
    body,
  });
  if (route === undefined) {
    const message = `Shepherd's provider simulator has no route ${method} ${url.pathname}`;
    const reply = JSON.stringify({
      error: { message, type: 'invalid_request_error', param: null, code: 'unknown_url' },
    });
    sendReply(response, {
      status: 404,
      headers: { 'content-type': 'application/json' },
      body: reply,
    });
    return;
  }
  const sequence = context.nextSequence();
  if (route.kind === 'models') {
    const dialect = route.flavor === 'openai' ? openaiDialect : deepseekDialect;
    const authorized = dialect.hasApiKey(request.headers, url);
    sendReply(
      response,
      authorized
        ? renderModelsList(route.flavor)
        : dialect.errorReply(401, { sequence, message: dialect.missingKeyMessage }),
    );
    return;
  }
  const dialect = dialectFor(route, body);
  await handleChatRequest({ request, response, url, body, dialect, sequence, context, signal });
}

/** The node:http listener. Each request gets an AbortController that fires when its socket closes. */
export function createRequestHandler(
  context: SimulatorContext,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    const controller = new AbortController();
    context.inFlight.add(controller);
    response.on('close', () => {
      controller.abort();
      context.inFlight.delete(controller);
    });
    handleRequest(context, request, response, controller.signal).catch((error: unknown) => {
      if (controller.signal.aborted) return;
      if (response.headersSent) {
        response.destroy();
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      const body = JSON.stringify({
        error: { message: `Simulator failure: ${message}`, type: 'server_error' },
      });
      sendReply(response, { status: 500, headers: { 'content-type': 'application/json' }, body });
    });
  };
}
