import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestGateway, type TestGateway } from '../helpers/start-test-gateway.ts';

const ADMIN_TOKEN = 'readiness-test-admin-token-0123456789';

let harness: TestGateway;
before(async () => {
  harness = await startTestGateway({
    configure: (config) => {
      config.admin.token = ADMIN_TOKEN;
    },
  });
});
after(async () => harness.close());

/**
 * `/readyz` answers anyone (load balancers and orchestrators probe it without credentials): it
 * says whether each dependency and upstream is usable, and keeps what went wrong — a database
 * driver's message names hosts, users and files; a provider's names its account's state — for the
 * log and the admin API.
 */
test('/readyz says what failed but not the error texts, which stay in the log and the admin API', async () => {
  const { store, simulator } = harness;
  const internal = 'password authentication failed for user "shepherd" (db.internal:5432)';
  const ping = store.ping;
  store.ping = async () => {
    throw new Error(internal);
  };
  try {
    const response = await fetch(`${harness.gateway.url}/readyz`);
    const text = await response.text();
    assert.equal(response.status, 503, text);
    assert.match(text, /"database":\{"name":"database","status":"failed"/);
    assert.ok(!text.includes('db.internal'), text);
  } finally {
    store.ping = ping;
  }

  simulator.faults.add({ model: 'gpt-4.1', status: 500, times: 10 });
  const chat = await fetch(`${harness.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${harness.apiKey}`,
      'content-type': 'application/json',
      'x-shepherd-fallback': 'none',
    },
    body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }),
  });
  assert.equal(chat.status, 502, await chat.text());
  simulator.faults.clear();
  const admin = await fetch(`${harness.gateway.url}/admin/api/upstreams`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  const adminText = await admin.text();
  const lastError = /"id":"openai\/gpt-4\.1"[^}]*"lastError":"([^"]+)"/.exec(adminText)?.[1];
  assert.ok(lastError !== undefined, `the admin API shows the last error: ${adminText}`);

  const ready = await fetch(`${harness.gateway.url}/readyz`);
  const readyText = await ready.text();
  assert.equal(ready.status, 200, readyText);
  assert.match(readyText, /"id":"openai\/gpt-4\.1"/);
  assert.ok(!readyText.includes('lastError'), readyText);
  assert.ok(!readyText.includes(lastError), readyText);
});
