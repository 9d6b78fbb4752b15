import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError, isGatewayError } from '../errors/gateway-error.ts';
import type { RequestIdentity } from '../pipeline/request-context.ts';
import type { CredentialThrottle } from './create-credential-throttle.ts';

export interface RequestAuthenticator {
  authenticate(token: string | undefined): Promise<RequestIdentity | undefined>;
  /**
   * The answer when it is known without waiting (a cached key), as `{ key }`; undefined when only
   * `authenticate` can tell.
   */
  authenticateNow?(token: string | undefined): { key: RequestIdentity | undefined } | undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    identity: RequestIdentity | undefined;
    /** Monotonic milliseconds when the request arrived (the start of TTFT). */
    acceptedAt: number;
  }
}

const INVALID_KEY_MESSAGE =
  'Incorrect API key provided. Check that: (1) the key is a valid Shepherd API key (it starts with `sk-shep-`) copied in full; (2) your base URL ends in `/v1` (for example http://localhost:8080/v1); (3) the key has not been revoked or expired. Ask the gateway operator for a new key if needed.';

const MISSING_KEY_MESSAGE =
  'You did not provide an API key. Send it in the header `Authorization: Bearer <your Shepherd API key>` (the OpenAI SDKs do this from `api_key`), and make sure your base URL ends in `/v1`.';

/** Takes the key from `Authorization: Bearer …` or, as the Anthropic SDK 0.x sends it, `x-api-key`. */
export function readApiKey(request: FastifyRequest): string | undefined {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match?.[1] ?? '';
  }
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' ? apiKey.trim() : undefined;
}

/**
 * Builds the onRequest hook that admits only requests bearing a valid, active key. A key the
 * authenticator knows without waiting (nearly every request: answers are cached) is checked
 * synchronously, with no promise in the request's path; the others wait for the store. An
 * address that sent too many invalid keys lately is refused before its key is looked at
 * (`throttle`, test plan F11); a request with no key at all guesses nothing and is not counted.
 */
export function createAuthenticationHook(
  authenticator: RequestAuthenticator,
  throttle?: CredentialThrottle,
) {
  return (request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void): void => {
    const admit = (identity: RequestIdentity | undefined) => {
      if (identity === undefined) {
        throttle?.recordFailure(request);
        done(new GatewayError('GW_ERR_INVALID_API_KEY', INVALID_KEY_MESSAGE));
        return;
      }
      request.identity = identity;
      done();
    };
    const refusal = throttle?.refusal(request);
    if (refusal !== undefined) {
      done(refusal);
      return;
    }
    const key = readApiKey(request);
    if (key === undefined) {
      done(new GatewayError('GW_ERR_INVALID_API_KEY', MISSING_KEY_MESSAGE));
      return;
    }
    let known: { key: RequestIdentity | undefined } | undefined;
    try {
      known = authenticator.authenticateNow?.(key);
    } catch (error) {
      done(toAuthenticationError(error));
      return;
    }
    if (known !== undefined) {
      admit(known.key);
      return;
    }
    authenticator.authenticate(key).then(admit, (error: unknown) => {
      done(toAuthenticationError(error));
    });
  };
}

/** Fail closed: without the key store nobody is let in. */
function toAuthenticationError(error: unknown): GatewayError {
  if (isGatewayError(error)) return error;
  return new GatewayError(
    'GW_ERR_STORAGE_UNAVAILABLE',
    'The gateway cannot verify API keys right now; try again shortly.',
    { cause: error, retryAfterSeconds: 1 },
  );
}
