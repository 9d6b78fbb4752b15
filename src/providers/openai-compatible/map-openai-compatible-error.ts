import type { GatewayError } from '../../errors/gateway-error.ts';
import { safeParseJson } from '../../util/safe-parse-json.ts';
import type { UpstreamErrorResponse } from '../provider-adapter.ts';
import { mapOpenAIErrorDetail } from './map-openai-error-detail.ts';
import { readOpenAIError } from './read-openai-error.ts';

/**
 * Non-2xx answer → `GatewayError`. A body that is not a JSON error (a proxy's HTML page) is never
 * echoed: the message then only names the status.
 *
 * @see https://platform.openai.com/docs/guides/error-codes
 * @see https://api-docs.deepseek.com/quick_start/error_codes
 */
export function mapOpenAICompatibleError(response: UpstreamErrorResponse): GatewayError {
  const parsed = safeParseJson(response.body);
  const detail = parsed.ok ? readOpenAIError(parsed.value) : undefined;
  return mapOpenAIErrorDetail({ response, detail });
}
