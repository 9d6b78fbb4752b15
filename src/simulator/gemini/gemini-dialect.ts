import { describeZodIssues } from '../describe-zod-issues.ts';
import type { SimulatorDialect } from '../simulator-dialect.ts';
import { geminiErrorReply } from './gemini-error.ts';
import { geminiRequestSchema } from './gemini-request-schema.ts';
import { matchGeminiPath } from './match-gemini-path.ts';
import { renderGeminiResponse } from './render-gemini-response.ts';
import { renderGeminiStream } from './render-gemini-stream.ts';
import { toGeminiInput } from './to-gemini-input.ts';

/** Gemini's `generateContent` / `streamGenerateContent`; the key comes as `x-goog-api-key` or `?key=`. */
export const geminiDialect: SimulatorDialect = {
  name: 'gemini',
  defaultTokensPerChunk: 8,
  missingKeyMessage: "Method doesn't allow unregistered callers. Please use an API key.",
  midStreamErrorStatus: 503,
  hasApiKey(headers, url) {
    const header = headers['x-goog-api-key'];
    const key = (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get('key') ?? '';
    return key.trim() !== '';
  },
  errorReply: geminiErrorReply,
  parse(body, { url, sequence }) {
    const path = matchGeminiPath(url.pathname);
    if (path === undefined) return { ok: false, reply: geminiErrorReply(404, { sequence }) };
    const parsed = geminiRequestSchema.safeParse(body);
    if (!parsed.success) {
      return {
        ok: false,
        reply: geminiErrorReply(400, { sequence, message: describeZodIssues(parsed.error) }),
      };
    }
    // Gemini 2.5 and later refuse any non-zero penalty, in these words.
    const { presencePenalty, frequencyPenalty } = parsed.data.generationConfig ?? {};
    if ((presencePenalty ?? 0) !== 0 || (frequencyPenalty ?? 0) !== 0) {
      const message = `Penalty is not enabled for models/${path.model}`;
      return { ok: false, reply: geminiErrorReply(400, { sequence, message }) };
    }
    const input = toGeminiInput(path.model, parsed.data);
    const shared = { model: path.model, reasoning: input.reasoning };
    return {
      ok: true,
      exchange: {
        input,
        stream: path.action === 'streamGenerateContent',
        renderStream: (answer, context) =>
          renderGeminiStream({
            ...shared,
            format: url.searchParams.get('alt') === 'sse' ? 'sse' : 'array',
            answer,
            context,
          }),
        renderBody: (answer, context) => renderGeminiResponse({ ...shared, answer, context }),
      },
    };
  },
};
