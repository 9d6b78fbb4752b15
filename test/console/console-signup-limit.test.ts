import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { requestFromAddress } from '../helpers/request-from-address.ts';
import { startTestGateway, type TestGateway } from '../helpers/start-test-gateway.ts';

function postFrom(url: string, from: string, body: unknown) {
  return requestFromAddress(url, { from, body });
}

let harness: TestGateway;
before(async () => {
  harness = await startTestGateway({
    configure: (config) => {
      config.console.signupLimit = { maxPerAddress: 2, windowSeconds: 3600 };
    },
  });
});
after(async () => harness.close());

test('each signup comes with the bonus, so an address may make console.signupLimit accounts per window', async () => {
  const signup = `${harness.gateway.url}/console/api/signup`;
  const password = 'a long enough passphrase 2026';
  for (const email of ['one@example.com', 'two@example.com']) {
    const made = await postFrom(signup, '127.0.0.51', { email, password });
    assert.equal(made.status, 201, made.text);
  }
  const refused = await postFrom(signup, '127.0.0.51', { email: 'three@example.com', password });
  assert.equal(refused.status, 429, refused.text);
  assert.match(refused.text, /"code":"signup_rate_limited"/);
  assert.match(refused.text, /try again in 60 minutes/);
  assert.equal(refused.retryAfter, '3600');
  const names = (await harness.store.listAccounts()).map((account) => account.name);
  assert.ok(names.includes('console:two@example.com'), names.join(', '));
  assert.ok(
    !names.includes('console:three@example.com'),
    'no account was made for the refused one',
  );

  const elsewhere = await postFrom(signup, '127.0.0.52', { email: 'three@example.com', password });
  assert.equal(elsewhere.status, 201, elsewhere.text);
});

test('a signup the gateway refuses for its input is not counted', async () => {
  const signup = `${harness.gateway.url}/console/api/signup`;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const weak = await postFrom(signup, '127.0.0.53', {
      email: `w${attempt}@example.com`,
      password: 'x',
    });
    assert.equal(weak.status, 400, weak.text);
  }
  const made = await postFrom(signup, '127.0.0.53', {
    email: 'strong@example.com',
    password: 'a long enough passphrase 2026',
  });
  assert.equal(made.status, 201, made.text);
});
