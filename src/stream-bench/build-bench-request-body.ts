/** About 0.75 English words per token, to phrase the length so a real model aims for it. */
const WORDS_PER_TOKEN = 0.75;

/**
 * The JSON body that asks `model` for a streamed answer of about `tokens` tokens: a prompt asking for
 * that length, `max_tokens` as the ceiling (real models may stop earlier; the report shows the
 * tokens they actually sent), usage in the final chunk, and `[simulate tokens=N]` so Shepherd's
 * provider simulator answers exactly N tokens (a real model reads it as part of the prompt).
 */
export function buildBenchRequestBody(options: { model: string; tokens: number }): string {
  const { model, tokens } = options;
  const words = Math.max(1, Math.round(tokens * WORDS_PER_TOKEN));
  const prompt =
    `Write one continuous essay on the history of computing, about ${tokens} tokens ` +
    `(roughly ${words} words) long. Keep writing until you reach that length: no title, ` +
    `headings, lists or closing remarks. [simulate tokens=${tokens}]`;
  return JSON.stringify({
    model,
    messages: [{ role: 'user', content: prompt }],
    max_tokens: tokens,
    stream: true,
    stream_options: { include_usage: true },
  });
}
