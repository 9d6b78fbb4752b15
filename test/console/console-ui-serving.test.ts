import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import * as z from 'zod';
import { registerConsoleUi } from '../../src/server/console/serve-console-ui.ts';
import type { TestGateway } from '../helpers/start-test-gateway.ts';
import { createConsoleClient, expectBody, startConsoleGateway } from './console-client.ts';

const INDEX =
  '<!doctype html><title>console</title><script src="/console/assets/app-abc123.js"></script>';
const SCRIPT = 'console.log("app")';

describe('serving the built console at /console', () => {
  let directory: string;
  let app: FastifyInstance;
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'shepherd-console-ui-'));
    await mkdir(join(directory, 'assets'));
    await writeFile(join(directory, 'index.html'), INDEX);
    await writeFile(join(directory, 'assets', 'app-abc123.js'), SCRIPT);
    app = Fastify();
    registerConsoleUi(app, { directory });
    await app.ready();
  });
  after(async () => {
    await app.close();
    await rm(directory, { recursive: true, force: true });
  });

  test('the page, with a strict content security policy and no caching of the page', async () => {
    for (const url of ['/console', '/console/']) {
      const response = await app.inject({ url });
      assert.equal(response.statusCode, 200, url);
      assert.equal(response.body, INDEX);
      assert.match(String(response.headers['content-type']), /^text\/html/);
      assert.equal(response.headers['cache-control'], 'no-cache');
      assert.match(String(response.headers['content-security-policy']), /script-src 'self';/);
      assert.equal(response.headers['x-frame-options'], 'DENY');
    }
  });

  test('every console page path answers the page (the browser routes)', async () => {
    for (const url of [
      '/console/keys',
      '/console/admin/accounts',
      '/console/usage?month=2026-11',
    ]) {
      const response = await app.inject({ url });
      assert.equal(response.statusCode, 200, url);
      assert.equal(response.body, INDEX, url);
    }
  });

  test('hashed assets are cached for good; an unknown asset is 404, not the page', async () => {
    const asset = await app.inject({ url: '/console/assets/app-abc123.js' });
    assert.equal(asset.statusCode, 200);
    assert.equal(asset.body, SCRIPT);
    assert.match(String(asset.headers['content-type']), /^text\/javascript/);
    assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
    const missing = await app.inject({ url: '/console/assets/gone-000.js' });
    assert.equal(missing.statusCode, 404);
  });

  test('a matching ETag answers 304 without a body', async () => {
    const first = await app.inject({ url: '/console/' });
    const etag = String(first.headers.etag);
    const again = await app.inject({ url: '/console/', headers: { 'if-none-match': etag } });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, '');
  });

  test('an unknown console API path is a JSON 404, never the page', async () => {
    const response = await app.inject({ url: '/console/api/nothing-here' });
    assert.equal(response.statusCode, 404);
    assert.equal(response.json().error.code, 'not_found');
  });

  test('not built: 503 with instructions in both languages, and serves once built', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'shepherd-console-unbuilt-'));
    const unbuilt = Fastify();
    registerConsoleUi(unbuilt, { directory: empty });
    try {
      const response = await unbuilt.inject({ url: '/console/' });
      assert.equal(response.statusCode, 503);
      assert.match(response.body, /npm run build:web/);
      assert.match(response.body, /콘솔이 빌드되지 않았습니다/);
      await writeFile(join(empty, 'index.html'), INDEX);
      const built = await unbuilt.inject({ url: '/console/' });
      assert.equal(built.statusCode, 200);
      assert.equal(built.body, INDEX);
    } finally {
      await unbuilt.close();
      await rm(empty, { recursive: true, force: true });
    }
  });
});

describe('GET /console/api/session', () => {
  let harness: TestGateway;
  before(async () => {
    harness = await startConsoleGateway();
  });
  after(async () => harness.close());

  test('a visitor is not an error; a signed-in user gets the /me view', async () => {
    const browser = createConsoleClient(harness.gateway.url);
    expectBody(
      await browser.send('GET', '/session'),
      200,
      z.strictObject({ signedIn: z.literal(false), selfSignup: z.literal(true) }),
    );
    expectBody(
      await browser.send('GET', '/session', { cookie: 'shepherd_console=forged-session-id' }),
      200,
      z.strictObject({ signedIn: z.literal(false), selfSignup: z.literal(true) }),
    );
    await browser.signup('session-probe@example.com', 'Correct-Horse-42');
    const me = await browser.send('GET', '/me');
    const probe = expectBody(
      await browser.send('GET', '/session'),
      200,
      z.object({
        signedIn: z.literal(true),
        selfSignup: z.literal(true),
        csrfToken: z.string(),
        expiresAt: z.string(),
        user: z.object({ email: z.literal('session-probe@example.com') }),
      }),
    );
    const meBody = z.object({ csrfToken: z.string() }).parse(me.body);
    assert.equal(probe.csrfToken, meBody.csrfToken);
    await browser.send('POST', '/logout');
    expectBody(
      await browser.send('GET', '/session'),
      200,
      z.strictObject({ signedIn: z.literal(false), selfSignup: z.literal(true) }),
    );
  });
});

describe('GET /console/api/session with self-signup off', () => {
  let harness: TestGateway;
  before(async () => {
    harness = await startConsoleGateway((config) => {
      config.console.selfSignup = false;
    });
  });
  after(async () => harness.close());

  test('tells the page not to offer the sign-up form', async () => {
    const browser = createConsoleClient(harness.gateway.url);
    expectBody(
      await browser.send('GET', '/session'),
      200,
      z.strictObject({ signedIn: z.literal(false), selfSignup: z.literal(false) }),
    );
  });
});
