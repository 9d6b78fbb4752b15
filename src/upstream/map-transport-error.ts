import { GatewayError } from '../errors/gateway-error.ts';
import type { EffectiveCallTimeouts } from './call-timeouts.ts';
import { errors as undiciErrors } from './undici-core.ts';

export interface TransportFailure {
  error: unknown;
  /** The client's own signal: its abort is the client leaving, not a provider fault. */
  clientSignal: AbortSignal | undefined;
  /** Whether the call's total limit passed first. */
  deadlineExpired: boolean;
  /** The limits this call ran with, named in the messages. */
  timeouts: EffectiveCallTimeouts;
  /** The body had started: a broken connection is a stream error, not an unreachable provider. */
  midStream?: boolean;
}

/** Turns a transport failure (reset, timeout, abort) into the typed error clients and routing see. */
export function mapTransportError(failure: TransportFailure): GatewayError {
  const { error, timeouts } = failure;
  if (error instanceof GatewayError) return error;
  const cause = { cause: error };
  if (failure.deadlineExpired && timeouts.totalMs !== undefined) {
    const limit = describeSeconds(timeouts.totalMs);
    return timeout(`The provider did not finish within ${limit}.`, error);
  }
  if (failure.clientSignal?.aborted === true) {
    return new GatewayError('GW_ERR_CLIENT_CLOSED', 'The client closed the request.', cause);
  }
  if (error instanceof undiciErrors.ConnectTimeoutError) {
    const limit = describeSeconds(timeouts.connectMs);
    return timeout(`The provider did not accept a connection within ${limit}.`, error);
  }
  if (error instanceof undiciErrors.HeadersTimeoutError) {
    return timeout(
      `The provider did not answer within ${describeSeconds(timeouts.firstByteMs)}.`,
      error,
    );
  }
  if (error instanceof undiciErrors.BodyTimeoutError) {
    const limit = describeSeconds(timeouts.idleMs);
    return timeout(
      `The provider stopped sending data for ${limit} before the answer was complete.`,
      error,
    );
  }
  if (failure.midStream === true) {
    return new GatewayError(
      'GW_ERR_UPSTREAM_STREAM_ERROR',
      'The connection to the provider broke before the answer was complete.',
      cause,
    );
  }
  return new GatewayError(
    'GW_ERR_UPSTREAM_UNREACHABLE',
    'The provider could not be reached.',
    cause,
  );
}

function timeout(message: string, cause: unknown): GatewayError {
  return new GatewayError('GW_ERR_UPSTREAM_TIMEOUT', message, { cause });
}

/** `600000` → `600 s`, `50` → `0.05 s`. */
function describeSeconds(milliseconds: number): string {
  return `${Number((milliseconds / 1000).toFixed(3))} s`;
}
