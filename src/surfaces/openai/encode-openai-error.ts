import type { GatewayError } from '../../errors/gateway-error.ts';

export interface EncodedOpenaiError {
  status: number;
  body: { error: OpenaiErrorObject };
  headers: Record<string, string>;
}

export interface OpenaiErrorObject {
  message: string;
  type: string;
  param: string | null;
  code: string;
}

/**
 * The OpenAI error response for a gateway error. `Retry-After` is whole seconds (rounded up) because
 * the header's delay form allows only an integer.
 *
 * @see https://platform.openai.com/docs/guides/error-codes
 */
export function encodeOpenaiError(error: GatewayError): EncodedOpenaiError {
  const headers: Record<string, string> = {};
  const retryAfter = error.retryAfterSeconds;
  if (retryAfter !== undefined && Number.isFinite(retryAfter)) {
    headers['Retry-After'] = String(Math.max(0, Math.ceil(retryAfter)));
  }
  return { status: error.status, body: { error: encodeOpenaiErrorObject(error) }, headers };
}

/** The `error` object alone, also sent as the last SSE frame of a stream that failed mid-way. */
export function encodeOpenaiErrorObject(error: GatewayError): OpenaiErrorObject {
  return {
    message: error.message,
    type: error.openaiType,
    param: error.param ?? null,
    code: error.openaiCode,
  };
}
