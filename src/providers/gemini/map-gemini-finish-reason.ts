import { type FinishReason, finishWithToolCalls } from '../../canonical/finish-reason.ts';
import { GatewayError } from '../../errors/gateway-error.ts';

const CONTENT_FILTER_REASONS: ReadonlySet<string> = new Set([
  'SAFETY',
  'PROHIBITED_CONTENT',
  'BLOCKLIST',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
  'IMAGE_OTHER',
  'LANGUAGE',
  'RECITATION',
  'OTHER',
]);

const FAILED_TOOL_CALL_REASONS: ReadonlySet<string> = new Set([
  'MALFORMED_FUNCTION_CALL',
  'UNEXPECTED_TOOL_CALL',
  'TOO_MANY_TOOL_CALLS',
]);

/**
 * Maps a candidate's `finishReason`. A tool call makes a normal stop `tool-calls` (Gemini says
 * STOP after one); a truncation or a filter stays (`finishWithToolCalls`).
 * RECITATION and OTHER are filters: Gemini withholds the rest of the answer, which a client must
 * not mistake for a natural end. A failed tool call (malformed, unexpected, too many) is not an
 * answer at all: it throws a retryable bad-response error, since the failure is the model's
 * sampling, not the client's request, and another attempt usually succeeds. `CONTINUATION` means
 * the per-request output limit was hit. Unknown future reasons and FINISH_REASON_UNSPECIFIED are
 * treated as a natural stop.
 *
 * @see https://ai.google.dev/api/generate-content#FinishReason
 */
export function mapGeminiFinishReason(reason: string, hasToolCalls: boolean): FinishReason {
  if (FAILED_TOOL_CALL_REASONS.has(reason)) {
    throw new GatewayError(
      'GW_ERR_UPSTREAM_BAD_RESPONSE',
      `The model produced an invalid tool call (Gemini finish reason ${reason}).`,
    );
  }
  if (reason === 'MAX_TOKENS' || reason === 'CONTINUATION') return 'length';
  if (CONTENT_FILTER_REASONS.has(reason)) return 'content-filter';
  return finishWithToolCalls('stop', hasToolCalls);
}
