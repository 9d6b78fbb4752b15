/**
 * A billed request without max_tokens is held for `billing.defaultHoldOutputTokens` of output
 * (ledger.md I4), and the provider is told that cap: an answer cannot outgrow its hold, so a cut
 * stream's estimate (capped at the hold) never bills less than the provider produced. With billing
 * off, or for a free model, nothing is held and nothing is capped.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestGateway, type TestGateway } from '../helpers/start-test-gateway.ts';

const CAP = 2_048;
const FREE_MODEL = 'deepseek-v3.2';

async function bodiesSent(harness: TestGateway, request: unknown): Promise<unknown[]> {
  harness.simulator.clearRequests();
  const response = await fetch(`${harness.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${harness.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  assert.equal(response.status, 200, await response.text());
  return harness.simulator.requests.map((entry) => entry.body);
}

function field(body: unknown, name: string): unknown {
  return typeof body === 'object' && body !== null && name in body
    ? (body as Record<string, unknown>)[name]
    : undefined;
}

describe('the output cap of a request without max_tokens', () => {
  let billed: TestGateway;
  let unbilled: TestGateway;
  before(async () => {
    billed = await startTestGateway({
      configure: (config) => {
        config.billing.defaultHoldOutputTokens = CAP;
        // A self-hosted model served free, on an OpenAI-compatible server (as vLLM or Ollama).
        for (const model of config.models) if (model.id === FREE_MODEL) model.free = true;
      },
    });
    unbilled = await startTestGateway({
      configure: (config) => {
        config.billing.enabled = false;
        config.billing.defaultHoldOutputTokens = CAP;
      },
    });
  });
  after(async () => {
    await billed.close();
    await unbilled.close();
  });

  const messages = [{ role: 'user', content: 'hi' }];

  test('billed: each provider is sent the held cap', async () => {
    const [openai] = await bodiesSent(billed, { model: 'gpt-4.1', messages });
    assert.equal(field(openai, 'max_completion_tokens'), CAP);
    const [anthropic] = await bodiesSent(billed, { model: 'claude-sonnet-4-20250514', messages });
    assert.equal(field(anthropic, 'max_tokens'), CAP);
    const [gemini] = await bodiesSent(billed, { model: 'gemini-2.5-flash', messages });
    assert.equal(field(field(gemini, 'generationConfig'), 'maxOutputTokens'), CAP);
  });

  test("billed: the client's own max_tokens is sent as it is", async () => {
    const [openai] = await bodiesSent(billed, { model: 'gpt-4.1', messages, max_tokens: 5_000 });
    assert.equal(field(openai, 'max_completion_tokens'), 5_000);
  });

  test('billed, but a free model: nothing is held, so no cap is added', async () => {
    // vLLM refuses any max_tokens above its context length minus the prompt, so a cap the client
    // did not ask for would fail requests that fit.
    const [free] = await bodiesSent(billed, { model: FREE_MODEL, messages });
    assert.equal(field(free, 'model'), 'deepseek-chat', 'the free model was the one called');
    assert.equal(field(free, 'max_tokens'), undefined);
    assert.equal(field(free, 'max_completion_tokens'), undefined);
  });

  test('unbilled: no cap is added', async () => {
    const [openai] = await bodiesSent(unbilled, { model: 'gpt-4.1', messages });
    assert.equal(field(openai, 'max_completion_tokens'), undefined);
    assert.equal(field(openai, 'max_tokens'), undefined);
  });
});
