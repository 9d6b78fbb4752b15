import type { GatewayError } from '../errors/gateway-error.ts';

/**
 * Thrown by an attempt that could not even be sent to this candidate (a fallback model that cannot
 * express the request, e.g. a parameter its provider lacks): the walk moves on without counting an
 * attempt or blaming the deployment's health.
 */
export class CandidateUnusableError extends Error {
  readonly reason: GatewayError;

  constructor(reason: GatewayError) {
    super(reason.message, { cause: reason });
    this.name = 'CandidateUnusableError';
    this.reason = reason;
  }
}
