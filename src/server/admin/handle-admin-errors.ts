import type { FastifyError, FastifyInstance } from 'fastify';
import { formatMicros } from '../../accounting/format-micros.ts';
import { GatewayError, isGatewayError } from '../../errors/gateway-error.ts';
import {
  AmbiguousKeyPrefixError,
  InsufficientBalanceError,
  LedgerConflictError,
  StoreConstraintError,
} from '../../storage/store-errors.ts';
import { encodeOpenaiError } from '../../surfaces/openai/encode-openai-error.ts';
import { isRecord } from '../../util/safe-parse-json.ts';

/**
 * The admin scope's error and not-found handlers: every error leaves in the OpenAI error shape, and
 * the ledger's refusals become the statuses an operator expects (409 for a reused reference).
 */
export function registerAdminErrorHandlers(admin: FastifyInstance, currency: string): void {
  admin.setErrorHandler((error: FastifyError | Error, request, reply) => {
    const gatewayError = toAdminError(error, currency);
    if (gatewayError.status >= 500) {
      request.log.error({ err: error, code: gatewayError.code }, 'admin request failed');
    } else {
      request.log.info({ code: gatewayError.code, status: gatewayError.status }, 'admin refused');
    }
    const encoded = encodeOpenaiError(gatewayError);
    void reply.code(encoded.status).headers(encoded.headers).send(encoded.body);
  });
  admin.setNotFoundHandler((request, reply) => {
    const encoded = encodeOpenaiError(
      new GatewayError(
        'GW_ERR_ROUTE_NOT_FOUND',
        `No admin route for ${request.method} ${request.url.split('?')[0]}. Admin routes live under /admin/api, e.g. GET /admin/api/accounts.`,
      ),
    );
    void reply.code(encoded.status).send(encoded.body);
  });
}

export function toAdminError(error: unknown, currency: string): GatewayError {
  if (isGatewayError(error)) return error;
  if (error instanceof LedgerConflictError) {
    return new GatewayError(
      'GW_ERR_INVALID_REQUEST',
      `The idempotency key "${error.idempotencyKey}" (from the reference) was already used for a different credit (another amount, kind or account); nothing was posted. Use a new reference for a new payment.`,
      { status: 409, param: 'reference' },
    );
  }
  if (error instanceof InsufficientBalanceError) {
    return new GatewayError(
      'GW_ERR_INSUFFICIENT_BALANCE',
      `The debit exceeds the account's available balance of ${formatMicros(error.balance.availableMicros, currency)}; nothing changed.`,
      { param: 'amount' },
    );
  }
  if (error instanceof AmbiguousKeyPrefixError) {
    return new GatewayError('GW_ERR_INVALID_REQUEST', error.message, { status: 409 });
  }
  if (error instanceof StoreConstraintError) {
    return error.constraint === 'unique'
      ? new GatewayError('GW_ERR_INVALID_REQUEST', 'This already exists.', { status: 409 })
      : new GatewayError('GW_ERR_ROUTE_NOT_FOUND', 'A referenced row does not exist.');
  }
  if (isRecord(error) && error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new GatewayError('GW_ERR_BODY_TOO_LARGE', 'The request body is too large.');
  }
  // Fastify's own 4xx errors (bad content type, malformed URL) carry a status and a safe message.
  const status = isRecord(error) ? error.statusCode : undefined;
  if (typeof status === 'number' && status >= 400 && status < 500 && error instanceof Error) {
    return new GatewayError('GW_ERR_INVALID_REQUEST', error.message, { status });
  }
  return new GatewayError('GW_ERR_INTERNAL', 'The gateway failed to handle the request.', {
    cause: error,
  });
}
