import assert from 'node:assert/strict';
import type { z } from 'zod';
import type { GatewayConfig } from '../../src/config/config-schema.ts';
import { safeParseJson } from '../../src/util/safe-parse-json.ts';
import { startTestGateway, type TestGateway } from '../helpers/start-test-gateway.ts';

export const ADMIN_TOKEN = 'console-test-admin-token-0123456789';

export interface ConsoleResponse {
  status: number;
  headers: Headers;
  text: string;
  body: unknown;
}

/**
 * A browser stand-in for the console API: keeps the session cookie it is given and sends the CSRF
 * token on mutating requests, both overridable per request to test what happens without them.
 */
export interface ConsoleClient {
  cookie: string | undefined;
  csrfToken: string | undefined;
  send(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    options?: { body?: unknown; csrfToken?: string | null; cookie?: string | null },
  ): Promise<ConsoleResponse>;
  /** Signs up (or in) and keeps the session; asserts success. */
  signup(email: string, password: string): Promise<ConsoleResponse>;
  login(email: string, password: string): Promise<ConsoleResponse>;
}

export function createConsoleClient(origin: string): ConsoleClient {
  const client: ConsoleClient = {
    cookie: undefined,
    csrfToken: undefined,
    async send(method, path, options = {}) {
      const cookie = options.cookie === undefined ? client.cookie : options.cookie;
      const csrf = options.csrfToken === undefined ? client.csrfToken : options.csrfToken;
      const response = await fetch(`${origin}/console/api${path}`, {
        method,
        headers: {
          ...(cookie === undefined || cookie === null ? {} : { cookie }),
          ...(csrf === undefined || csrf === null || method === 'GET'
            ? {}
            : { 'x-csrf-token': csrf }),
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      });
      const text = await response.text();
      const parsed = safeParseJson(text);
      const body = parsed.ok ? parsed.value : undefined;
      const setCookie = response.headers.getSetCookie()[0];
      if (setCookie !== undefined) {
        const pair = setCookie.split(';')[0] ?? '';
        client.cookie = pair.endsWith('=') ? undefined : pair;
      }
      if (typeof body === 'object' && body !== null && 'csrfToken' in body) {
        client.csrfToken = typeof body.csrfToken === 'string' ? body.csrfToken : undefined;
      }
      return { status: response.status, headers: response.headers, text, body };
    },
    async signup(email, password) {
      const response = await client.send('POST', '/signup', {
        body: { email, password, locale: 'ko' },
      });
      assert.equal(response.status, 201, response.text);
      return response;
    },
    async login(email, password) {
      const response = await client.send('POST', '/login', { body: { email, password } });
      assert.equal(response.status, 200, response.text);
      return response;
    },
  };
  return client;
}

/** Asserts the status and parses the body with the schema, so a wrong shape fails the test. */
export function expectBody<Schema extends z.ZodType>(
  response: ConsoleResponse,
  status: number,
  schema: Schema,
): z.output<Schema> {
  assert.equal(response.status, status, response.text);
  const parsed = schema.safeParse(response.body);
  assert.ok(parsed.success, `${parsed.error?.message}\n${response.text}`);
  return parsed.data;
}

/** Asserts an OpenAI-shaped error with this status and `code`. */
export function expectError(response: ConsoleResponse, status: number, code: string): string {
  assert.equal(response.status, status, response.text);
  const body = response.body;
  assert.ok(typeof body === 'object' && body !== null && 'error' in body, response.text);
  const error = body.error;
  assert.ok(typeof error === 'object' && error !== null && 'code' in error && 'message' in error);
  assert.equal(error.code, code, response.text);
  return String(error.message);
}

/** A real gateway (simulator upstreams, in-memory SQLite) with the admin API on. */
export function startConsoleGateway(
  configure?: (config: GatewayConfig) => void,
): Promise<TestGateway> {
  return startTestGateway({
    configure: (config) => {
      config.admin.token = ADMIN_TOKEN;
      configure?.(config);
    },
  });
}

/** `POST /admin/api/…` with the admin token. */
export async function adminPost(origin: string, path: string, body: unknown) {
  const response = await fetch(`${origin}/admin/api${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const parsed = safeParseJson(await response.text());
  return { status: response.status, body: parsed.ok ? parsed.value : undefined };
}
