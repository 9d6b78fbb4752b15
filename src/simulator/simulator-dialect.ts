import type { ErrorReplyOptions, HttpReply, ParseResult } from './response-plan.ts';

/** What the request handler needs from each of the four wire dialects. */
export interface SimulatorDialect {
  name: 'openai' | 'deepseek' | 'anthropic' | 'gemini';
  defaultTokensPerChunk: number;
  /** Status used when a non-streaming request gets an `errorEventAfterChunks` fault. */
  midStreamErrorStatus: number;
  /** The provider's own wording for a request without a key (answered with 401). */
  missingKeyMessage: string;
  hasApiKey(headers: Readonly<Record<string, string | string[] | undefined>>, url: URL): boolean;
  errorReply(status: number, options: ErrorReplyOptions): HttpReply;
  parse(body: unknown, request: { url: URL; sequence: number }): ParseResult;
}
