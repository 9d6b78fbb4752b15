import { z } from 'zod';
import { ConsoleApiError } from './console-api-error.ts';

const API_ROOT = '/console/api';

const errorBodySchema = z.object({
  error: z.object({ message: z.string(), code: z.string().nullish() }),
});

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

let csrfToken: string | null = null;

/** Set from signup, login and `GET /me`; sent on every write (the API refuses writes without it). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

async function send(method: Method, path: string, body: unknown): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken !== null) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(`${API_ROOT}${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (cause) {
    throw new ConsoleApiError({
      status: 0,
      code: 'network_error',
      message: cause instanceof Error ? cause.message : String(cause),
      retryAfterSeconds: null,
    });
  }
  if (!response.ok) throw await toApiError(response);
  return response;
}

async function toApiError(response: Response): Promise<ConsoleApiError> {
  const retryAfter = Number(response.headers.get('retry-after'));
  let code = `http_${response.status}`;
  let message = response.statusText;
  try {
    const parsed = errorBodySchema.safeParse(await response.json());
    if (parsed.success) {
      code = parsed.data.error.code ?? code;
      message = parsed.data.error.message;
    }
  } catch {
    // Not JSON (a proxy's error page, say): the status code is all there is to translate.
  }
  return new ConsoleApiError({
    status: response.status,
    code,
    message,
    retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
  });
}

async function parseBody<Schema extends z.ZodType>(
  response: Response,
  schema: Schema,
): Promise<z.output<Schema>> {
  const parsed = schema.safeParse(await response.json());
  if (!parsed.success) {
    throw new ConsoleApiError({
      status: response.status,
      code: 'unexpected_response',
      message: parsed.error.message,
      retryAfterSeconds: null,
    });
  }
  return parsed.data;
}

/** The console API. Every answer is checked against its schema, so the UI trusts its types. */
export const consoleApi = {
  async get<Schema extends z.ZodType>(path: string, schema: Schema): Promise<z.output<Schema>> {
    return parseBody(await send('GET', path, undefined), schema);
  },
  async post<Schema extends z.ZodType>(
    path: string,
    body: unknown,
    schema: Schema,
  ): Promise<z.output<Schema>> {
    return parseBody(await send('POST', path, body ?? {}), schema);
  },
  async patch<Schema extends z.ZodType>(
    path: string,
    body: unknown,
    schema: Schema,
  ): Promise<z.output<Schema>> {
    return parseBody(await send('PATCH', path, body), schema);
  },
  async delete<Schema extends z.ZodType>(path: string, schema: Schema): Promise<z.output<Schema>> {
    return parseBody(await send('DELETE', path, undefined), schema);
  },
  /** For downloads (CSV): the raw text. */
  async getText(path: string): Promise<string> {
    return (await send('GET', path, undefined)).text();
  },
};
