import { describeZodIssues } from '../describe-zod-issues.ts';
import type { SimulatorDialect } from '../simulator-dialect.ts';
import { chatCompletionsErrorReply } from './chat-completions-error.ts';
import type { ChatCompletionsFlavor } from './chat-completions-flavor.ts';
import { chatCompletionsRequestSchema } from './chat-completions-request-schema.ts';
import { renderChatCompletion } from './render-chat-completion.ts';
import { renderChatCompletionsStream } from './render-chat-completions-stream.ts';
import { toChatCompletionsInput } from './to-chat-completions-input.ts';

function bearerKey(value: string | string[] | undefined): string {
  const header = Array.isArray(value) ? value[0] : value;
  const match = /^Bearer\s+(\S.*)$/i.exec(header ?? '');
  return match?.[1]?.trim() ?? '';
}

function createChatCompletionsDialect(flavor: ChatCompletionsFlavor): SimulatorDialect {
  return {
    name: flavor,
    defaultTokensPerChunk: 1,
    midStreamErrorStatus: 500,
    missingKeyMessage:
      flavor === 'openai'
        ? "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
        : 'Authentication Fails, no api key provided',
    hasApiKey: (headers) => bearerKey(headers.authorization) !== '',
    errorReply: (status, options) => chatCompletionsErrorReply(flavor, status, options),
    parse(body, { sequence }) {
      const parsed = chatCompletionsRequestSchema.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const reply = chatCompletionsErrorReply(flavor, 400, {
          sequence,
          message: describeZodIssues(parsed.error),
          param: issue === undefined ? null : issue.path.join('.'),
        });
        return { ok: false, reply };
      }
      const request = parsed.data;
      if (flavor === 'openai' && request.stream_options != null && request.stream !== true) {
        const reply = chatCompletionsErrorReply(flavor, 400, {
          sequence,
          message: "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
          param: 'stream_options',
        });
        return { ok: false, reply };
      }
      const input = toChatCompletionsInput(flavor, request);
      const shared = { flavor, model: request.model, reasoning: input.reasoning };
      return {
        ok: true,
        exchange: {
          input,
          stream: request.stream === true,
          renderStream: (answer, context) =>
            renderChatCompletionsStream({
              ...shared,
              includeUsage: request.stream_options?.include_usage === true,
              answer,
              context,
            }),
          renderBody: (answer, context) => renderChatCompletion({ ...shared, answer, context }),
        },
      };
    },
  };
}

/** OpenAI's `POST /v1/chat/completions`. */
export const openaiDialect = createChatCompletionsDialect('openai');

/** DeepSeek's `POST /chat/completions` (and its `/v1` alias). */
export const deepseekDialect = createChatCompletionsDialect('deepseek');
