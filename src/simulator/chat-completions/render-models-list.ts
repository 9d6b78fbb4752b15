import type { HttpReply } from '../response-plan.ts';
import type { ChatCompletionsFlavor } from './chat-completions-flavor.ts';

const MODELS: Record<ChatCompletionsFlavor, string[]> = {
  openai: ['gpt-4.1', 'gpt-4.1-mini', 'gpt-4.1-nano', 'gpt-4o', 'gpt-4o-mini', 'o4-mini'],
  deepseek: ['deepseek-chat', 'deepseek-reasoner'],
};

/** Precomputed once: the list never changes. */
const BODIES: Record<ChatCompletionsFlavor, string> = {
  openai: listBody(MODELS.openai),
  deepseek: listBody(MODELS.deepseek),
};

function listBody(models: readonly string[]): string {
  const data = models.map((id) => ({
    id,
    object: 'model',
    created: 1_700_000_000,
    owned_by: 'shepherd-simulator',
  }));
  return JSON.stringify({ object: 'list', data });
}

/**
 * `GET /v1/models` (OpenAI) or `GET /models` (DeepSeek). Any model name is answered anyway; the
 * list only names common ones, owned by `shepherd-simulator` so nobody mistakes it for the real one.
 * @see https://platform.openai.com/docs/api-reference/models/list
 */
export function renderModelsList(flavor: ChatCompletionsFlavor): HttpReply {
  return {
    status: 200,
    headers: { 'content-type': 'application/json', 'x-shepherd-simulator': flavor },
    body: BODIES[flavor],
  };
}
