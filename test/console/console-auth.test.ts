import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as z from 'zod';
import {
  generateSessionId,
  hashSessionSecret,
} from '../../src/server/console/console-session-tokens.ts';
import type { TestGateway } from '../helpers/start-test-gateway.ts';
import {
  ADMIN_TOKEN,
  createConsoleClient,
  expectBody,
  expectError,
  startConsoleGateway,
} from './console-client.ts';

const PASSWORD = 'Gate-Keeper-31';

describe('console sign-up, sign-in, sessions and CSRF', () => {
  let harness: TestGateway;
  let origin: string;
  before(async () => {
    harness = await startConsoleGateway();
    origin = harness.gateway.url;
  });
  after(async () => harness.close());

  test('weak passwords are refused with a code per reason and nothing is created', async () => {
    const browser = createConsoleClient(origin);
    const email = 'weak.tester@example.com';
    const cases: Array<[string, string]> = [
      ['short1!', 'password_too_short'],
      ['alllowercaseletters', 'password_one_character_class'],
      ['Password123!', 'password_too_common'],
      ['weak.tester-2024', 'password_contains_email'],
    ];
    for (const [password, code] of cases) {
      const response = await browser.send('POST', '/signup', { body: { email, password } });
      expectError(response, 400, code);
      assert.equal(response.headers.get('set-cookie'), null);
    }
    assert.equal(await harness.store.findConsoleUserByEmail(email), undefined);
    assert.equal(await harness.store.getAccountByName(`console:${email}`), undefined);
    expectError(
      await browser.send('POST', '/signup', {
        body: { email: 'not-an-email', password: PASSWORD },
      }),
      400,
      'invalid_request',
    );
    expectError(
      await browser.send('POST', '/signup', {
        body: { email, password: PASSWORD, locale: 'fr' },
      }),
      400,
      'invalid_request',
    );
  });

  test('a duplicate email, in any case, is 409 and credits no second bonus', async () => {
    const first = createConsoleClient(origin);
    await first.signup('dup@example.com', PASSWORD);
    const second = createConsoleClient(origin);
    expectError(
      await second.send('POST', '/signup', {
        body: { email: 'DUP@example.com', password: PASSWORD },
      }),
      409,
      'email_taken',
    );
    const user = await harness.store.findConsoleUserByEmail('dup@example.com');
    assert.ok(user !== undefined);
    assert.equal((await harness.store.getBalance(user.accountId)).postedMicros, 1_000_000_000n);
  });

  test('a wrong password and an unknown email get the same 401', async () => {
    const browser = createConsoleClient(origin);
    await browser.signup('known@example.com', PASSWORD);
    const fresh = createConsoleClient(origin);
    const wrong = expectError(
      await fresh.send('POST', '/login', {
        body: { email: 'known@example.com', password: 'Not-The-One-1' },
      }),
      401,
      'invalid_credentials',
    );
    const unknown = expectError(
      await fresh.send('POST', '/login', {
        body: { email: 'nobody@example.com', password: PASSWORD },
      }),
      401,
      'invalid_credentials',
    );
    assert.equal(wrong, unknown);
    assert.equal(fresh.cookie, undefined);
  });

  test('the sixth failed login in 15 minutes is 429 with Retry-After, even with the right password', async () => {
    const browser = createConsoleClient(origin);
    await browser.signup('limited@example.com', PASSWORD);
    const attacker = createConsoleClient(origin);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expectError(
        await attacker.send('POST', '/login', {
          body: { email: 'limited@example.com', password: `Guess-${attempt}-xyz` },
        }),
        401,
        'invalid_credentials',
      );
    }
    const refused = await attacker.send('POST', '/login', {
      body: { email: 'limited@example.com', password: PASSWORD },
    });
    expectError(refused, 429, 'login_rate_limited');
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(retryAfter > 800 && retryAfter <= 900, `Retry-After ${retryAfter}`);
    // Other emails from the same address are not affected.
    await createConsoleClient(origin).login('known@example.com', PASSWORD);
  });

  test('mutating requests need the session CSRF token; reads do not', async () => {
    const browser = createConsoleClient(origin);
    await browser.signup('csrf@example.com', PASSWORD);
    const other = createConsoleClient(origin);
    await other.signup('csrf-other@example.com', PASSWORD);
    const body = { name: 'k' };
    expectError(
      await browser.send('POST', '/keys', { body, csrfToken: null }),
      403,
      'csrf_token_invalid',
    );
    expectError(
      await browser.send('POST', '/keys', { body, csrfToken: 'forged' }),
      403,
      'csrf_token_invalid',
    );
    expectError(
      await browser.send('POST', '/keys', { body, csrfToken: other.csrfToken ?? null }),
      403,
      'csrf_token_invalid',
    );
    expectError(
      await browser.send('POST', '/logout', { csrfToken: null }),
      403,
      'csrf_token_invalid',
    );
    expectError(
      await browser.send('DELETE', '/keys/key_x', { csrfToken: null }),
      403,
      'csrf_token_invalid',
    );
    expectError(
      await browser.send('PATCH', '/keys/key_x', { body: {}, csrfToken: null }),
      403,
      'csrf_token_invalid',
    );
    const keys = await browser.send('GET', '/keys');
    expectBody(keys, 200, z.object({ data: z.array(z.unknown()).length(0) }));
    expectBody(await browser.send('POST', '/keys', { body }), 201, z.object({ key: z.string() }));
  });

  test('sign-up and sign-in take only JSON bodies, which no cross-site form can send', async () => {
    await createConsoleClient(origin).signup('form-target@example.com', 'Pass=word-2026');
    // A page elsewhere submits a form with enctype="text/plain": the browser sends `name=value`,
    // which an attacker splits so that the `=` lands inside their own account's password. Without
    // a check, the victim's browser would be signed in to the attacker's account (login CSRF) and
    // later redeem its vouchers there.
    const forged = '{"email":"form-target@example.com","password":"Pass=word-2026"}\r\n';
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', undefined]) {
      for (const path of ['/login', '/signup']) {
        const response = await fetch(`${origin}/console/api${path}`, {
          method: 'POST',
          headers: {
            origin: 'https://attacker.example',
            ...(contentType === undefined ? {} : { 'content-type': contentType }),
          },
          body: path === '/signup' ? forged.replace('form-target', 'new-victim') : forged,
        });
        const text = await response.text();
        assert.equal(response.status, 415, `${path} ${contentType}: ${text}`);
        assert.match(text, /"code":"unsupported_media_type"/);
        assert.equal(response.headers.get('set-cookie'), null);
      }
    }
    assert.equal(await harness.store.findConsoleUserByEmail('new-victim@example.com'), undefined);
    // The console's own requests (JSON, with a charset or not) still work.
    const json = await fetch(`${origin}/console/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: forged,
    });
    assert.equal(json.status, 200, await json.text());
  });

  test('the open console routes refuse a body of megabytes before reading it', async () => {
    // Anyone may post to /login and /signup; the 20 MiB a chat request may carry (images) would
    // let them have each one read and parsed for nothing.
    const padding = 'x'.repeat(2 * 1024 * 1024);
    for (const path of ['/login', '/signup']) {
      const response = await fetch(`${origin}/console/api${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'big@example.com', password: padding }),
      });
      const text = await response.text();
      assert.equal(response.status, 413, `${path}: ${text}`);
      assert.match(text, /"code":"request_too_large"/);
    }
  });

  test('forged, expired and logged-out sessions are 401', async () => {
    const browser = createConsoleClient(origin);
    await browser.signup('expiry@example.com', PASSWORD);
    const forged = `shepherd_console=${generateSessionId()}`;
    expectError(
      await browser.send('GET', '/me', { cookie: forged }),
      401,
      'console_not_authenticated',
    );
    expectError(
      await browser.send('GET', '/me', { cookie: 'shepherd_console=short' }),
      401,
      'console_not_authenticated',
    );

    const user = await harness.store.findConsoleUserByEmail('expiry@example.com');
    assert.ok(user !== undefined);
    const expiredId = generateSessionId();
    await harness.store.createConsoleSession({
      idHash: hashSessionSecret(expiredId),
      userId: user.id,
      csrfTokenHash: hashSessionSecret('x'),
      createdAt: new Date(Date.now() - 8 * 86_400_000),
      expiresAt: new Date(Date.now() - 1000),
    });
    expectError(
      await browser.send('GET', '/me', { cookie: `shepherd_console=${expiredId}` }),
      401,
      'console_not_authenticated',
    );

    const loggedIn = browser.cookie;
    const logout = await browser.send('POST', '/logout');
    assert.equal(logout.status, 200, logout.text);
    assert.match(logout.headers.get('set-cookie') ?? '', /^shepherd_console=; .*Max-Age=0/);
    expectError(
      await browser.send('GET', '/me', { cookie: loggedIn ?? null }),
      401,
      'console_not_authenticated',
    );
  });

  test('an account disabled through the admin API or CLI locks its console users out too', async () => {
    const browser = createConsoleClient(origin);
    const signedUp = await browser.signup('locked-out@example.com', PASSWORD);
    const { accountId } = expectBody(
      signedUp,
      201,
      z.object({ user: z.object({ accountId: z.string() }) }),
    ).user;
    const operator = (action: 'disable' | 'enable') =>
      fetch(`${origin}/admin/api/accounts/${accountId}/${action}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: '{}',
      });
    assert.equal((await operator('disable')).status, 200);

    // The open session stops at once, as for a console admin's disable; so does a new login.
    expectError(await browser.send('GET', '/me'), 403, 'console_user_disabled');
    expectError(
      await browser.send('POST', '/keys', { body: { name: 'sneaky' } }),
      403,
      'console_user_disabled',
    );
    expectBody(
      await browser.send('GET', '/session'),
      200,
      z.object({ signedIn: z.literal(false) }),
    );
    expectError(
      await createConsoleClient(origin).send('POST', '/login', {
        body: { email: 'locked-out@example.com', password: PASSWORD },
      }),
      403,
      'console_user_disabled',
    );

    assert.equal((await operator('enable')).status, 200);
    expectBody(await browser.send('GET', '/me'), 200, z.object({ csrfToken: z.string() }));
    await createConsoleClient(origin).login('locked-out@example.com', PASSWORD);
  });

  test('the console language is chosen at signup and changed with PATCH /me', async () => {
    const browser = createConsoleClient(origin);
    await browser.signup('locale@example.com', PASSWORD);
    const locale = z.object({ user: z.object({ locale: z.string() }) });
    assert.equal(expectBody(await browser.send('GET', '/me'), 200, locale).user.locale, 'ko');
    const changed = await browser.send('PATCH', '/me', { body: { locale: 'en' } });
    assert.equal(expectBody(changed, 200, locale).user.locale, 'en');
    assert.equal(expectBody(await browser.send('GET', '/me'), 200, locale).user.locale, 'en');
    expectError(
      await browser.send('PATCH', '/me', { body: { locale: 'de' } }),
      400,
      'invalid_request',
    );
  });

  test('unknown console routes are 404 in the OpenAI shape', async () => {
    const response = await createConsoleClient(origin).send('GET', '/nope');
    expectError(response, 404, 'not_found');
  });
});

describe('console with self-signup turned off', () => {
  let harness: TestGateway;
  before(async () => {
    harness = await startConsoleGateway((config) => {
      config.console.selfSignup = false;
    });
  });
  after(async () => harness.close());

  test('signup is 403 signup_disabled and creates nothing', async () => {
    const browser = createConsoleClient(harness.gateway.url);
    expectError(
      await browser.send('POST', '/signup', {
        body: { email: 'closed@example.com', password: PASSWORD },
      }),
      403,
      'signup_disabled',
    );
    assert.equal(await harness.store.findConsoleUserByEmail('closed@example.com'), undefined);
  });
});
