import type { FastifyError, FastifyInstance } from 'fastify';
import { GatewayError, isGatewayError } from '../errors/gateway-error.ts';
import { encodeOpenaiError } from '../surfaces/openai/encode-openai-error.ts';

/** Every error leaves in the OpenAI error shape, with the request id header set by the app. */
export function registerErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | GatewayError, request, reply) => {
    const gatewayError = toClientError(error);
    if (gatewayError.status >= 500) {
      request.log.error({ err: error, code: gatewayError.code }, 'request failed');
    } else {
      request.log.info({ code: gatewayError.code, status: gatewayError.status }, 'request refused');
    }
    const encoded = encodeOpenaiError(gatewayError);
    if (gatewayError.attempts !== undefined) {
      void reply.headers({
        'x-shepherd-attempts': String(gatewayError.attempts),
        'x-shepherd-fallback': String(gatewayError.fellBack === true),
      });
    }
    void reply.code(encoded.status).headers(encoded.headers).send(encoded.body);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    // A path that exists for other methods (GET /v1/chat/completions from a browser) is told which,
    // not that the API lives under /v1, where it already is.
    const allowed = ROUTE_METHODS.filter(
      (method) => method !== request.method && app.findRoute({ method, url: path }) !== null,
    );
    const encoded = encodeOpenaiError(
      allowed.length > 0
        ? new GatewayError(
            'GW_ERR_METHOD_NOT_ALLOWED',
            `${request.method} is not allowed on ${path}; use ${allowed.join(' or ')}.`,
          )
        : new GatewayError(
            'GW_ERR_ROUTE_NOT_FOUND',
            `No route for ${request.method} ${path}. The OpenAI-compatible API lives under /v1 (for example POST /v1/chat/completions).`,
          ),
    );
    if (allowed.length > 0) void reply.header('allow', allowed.join(', '));
    void reply.code(encoded.status).send(encoded.body);
  });
}

/** The methods the gateway's routes use (HEAD comes with every GET). */
const ROUTE_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

function toClientError(error: FastifyError | GatewayError): GatewayError {
  if (isGatewayError(error)) return error;
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new GatewayError(
        'GW_ERR_BODY_TOO_LARGE',
        'The request body is larger than this gateway accepts.',
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new GatewayError(
        'GW_ERR_UNSUPPORTED_MEDIA_TYPE',
        'Send the request body as application/json.',
      );
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new GatewayError(
        'GW_ERR_INVALID_JSON',
        'The request body is empty; send a JSON object.',
      );
  }
  const status = error.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return new GatewayError('GW_ERR_INVALID_REQUEST', error.message, { status });
  }
  return new GatewayError('GW_ERR_INTERNAL', 'The gateway failed to handle the request.', {
    cause: error,
  });
}
