import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, test } from 'node:test';
import { startTestGateway, type TestGateway } from '../helpers/start-test-gateway.ts';

/** A JSON POST from a chosen loopback address (Linux answers on all of 127/8). */
function postFrom(
  url: string,
  from: string,
  body: unknown,
): Promise<{ status: number; retryAfter: string | undefined; text: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: 'POST',
        localAddress: from,
        agent: false,
        headers: { 'content-type': 'application/json' },
      },
      (answer) => {
        let text = '';
        answer.setEncoding('utf8');
        answer.on('data', (piece: string) => {
          text += piece;
        });
        answer.on('end', () => {
          const retryAfter = answer.headers['retry-after'];
          resolve({ status: answer.statusCode ?? 0, retryAfter, text });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(JSON.stringify(body));
  });
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
