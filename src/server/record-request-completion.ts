import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayMetrics } from '../metrics/gateway-metrics.ts';
import { redactUrlQuery } from './redact-url-query.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's outcome was logged and counted: it never is twice. */
    completionRecorded: boolean;
  }
}

/**
 * nginx's "client closed request", and the status of `GW_ERR_CLIENT_CLOSED`: what a request is
 * counted and logged as when its client left before the response ended, whether or not a status
 * had gone out (a stream cut mid-way, like one cut before its headers, was not delivered).
 */
export const CLIENT_CLOSED_STATUS = 499;

/**
 * Logs one "request completed" line and counts `shepherd_http_requests_total` once per request.
 * Fastify's onResponse runs on the response's `finish`, which a response whose client went away
 * never reaches: `watchClientClose` covers those from the response's `close`, which comes after
 * `finish` when there was one.
 */
export interface RequestCompletionRecorder {
  /** From onRequest: records the request as client-closed if its response closes unfinished. */
  watchClientClose(request: FastifyRequest, reply: FastifyReply): void;
  /** From onResponse: records the request with the status it was answered with. */
  responseFinished(request: FastifyRequest, reply: FastifyReply): void;
}

export function createRequestCompletionRecorder(
  metrics: GatewayMetrics | undefined,
): RequestCompletionRecorder {
  function record(request: FastifyRequest, reply: FastifyReply, clientClosed: boolean): void {
    if (request.completionRecorded) return;
    request.completionRecorded = true;
    const { method } = request;
    // A key a client put in the query string must not reach the log with the URL.
    const url = redactUrlQuery(request.url);
    const statusCode = clientClosed ? CLIENT_CLOSED_STATUS : reply.statusCode;
    const responseTime = reply.elapsedTime;
    if (clientClosed) {
      // Whether the client had the status line (a stream, keep-alives) before it left.
      const responseStarted = reply.raw.headersSent;
      const line = { method, url, statusCode, responseTime, responseStarted };
      request.log.info(line, 'request completed');
    } else request.log.info({ method, url, statusCode, responseTime }, 'request completed');
    // The route template (`/v1/models/:id`), never the raw URL: bounded label values.
    metrics?.httpResponse(method, request.routeOptions.url ?? 'unmatched', statusCode);
  }
  return {
    watchClientClose(request, reply) {
      const response = reply.raw;
      response.on('close', () => {
        if (!response.writableFinished) record(request, reply, true);
      });
    },
    responseFinished(request, reply) {
      record(request, reply, false);
    },
  };
}
