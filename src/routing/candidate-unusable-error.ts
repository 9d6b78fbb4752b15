import type { GatewayError } from '../errors/gateway-error.ts';

/**
 * Thrown by an attempt that could not even be sent to this candidate (a model that cannot express
 * the request, e.g. a parameter its provider lacks): no attempt is counted and the deployment's
 * health is not blamed. The walk moves on, unless `final`: then the refusal is the request's
 * answer (the requested model has no deployment that could express it).
 */
export class CandidateUnusableError extends Error {
  readonly reason: GatewayError;
  readonly final: boolean;

  constructor(reason: GatewayError, options: { final?: boolean } = {}) {
    super(reason.message, { cause: reason });
    this.name = 'CandidateUnusableError';
    this.reason = reason;
    this.final = options.final === true;
  }
}
