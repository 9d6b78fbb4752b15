import type { IncomingMessage } from 'node:http';

/** Generous enough for multimodal prompts; a bigger body is refused with 413. */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** The whole body as text, or undefined when it exceeds `MAX_BODY_BYTES`. */
export async function readRequestBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
