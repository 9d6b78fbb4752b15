import { describeZodIssues } from '../describe-zod-issues.ts';
import type { SimulatorDialect } from '../simulator-dialect.ts';
import { anthropicErrorReply } from './anthropic-error.ts';
import { anthropicRequestSchema } from './anthropic-request-schema.ts';
import { renderAnthropicMessage } from './render-anthropic-message.ts';
import { renderAnthropicStream } from './render-anthropic-stream.ts';
import { toAnthropicInput } from './to-anthropic-input.ts';

function headerValue(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
}

/** Anthropic's `POST /v1/messages`; the key comes as `x-api-key` (SDK 0.x) or `Authorization: Bearer` (SDK 1.x). */
export const anthropicDialect: SimulatorDialect = {
  name: 'anthropic',
  defaultTokensPerChunk: 3,
  missingKeyMessage: 'x-api-key header is required',
  midStreamErrorStatus: 529,
  hasApiKey(headers) {
    if (headerValue(headers['x-api-key']) !== '') return true;
    return /^Bearer\s+\S/i.test(headerValue(headers.authorization));
  },
  errorReply: anthropicErrorReply,
  parse(body, { sequence }) {
    const parsed = anthropicRequestSchema.safeParse(body);
    if (!parsed.success) {
      return {
        ok: false,
        reply: anthropicErrorReply(400, { sequence, message: describeZodIssues(parsed.error) }),
      };
    }
    const request = parsed.data;
    const input = toAnthropicInput(request);
    const shared = { model: request.model, thinking: input.reasoning === 'visible' };
    return {
      ok: true,
      exchange: {
        input,
        stream: request.stream === true,
        renderStream: (answer, context) => renderAnthropicStream({ ...shared, answer, context }),
        renderBody: (answer, context) => renderAnthropicMessage({ ...shared, answer, context }),
      },
    };
  },
};
