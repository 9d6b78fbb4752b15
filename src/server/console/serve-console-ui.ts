import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError } from '../../errors/gateway-error.ts';
import { encodeOpenaiError } from '../../surfaces/openai/encode-openai-error.ts';
import { findPackageRoot } from '../../util/find-package-root.ts';
import { CONSOLE_API_PREFIX } from './register-console-api.ts';

/** Where `npm run build:web` writes the console (web/vite.config.ts). */
export const DEFAULT_CONSOLE_UI_DIRECTORY = join(findPackageRoot(import.meta.url), 'web', 'dist');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

/**
 * The console only talks to its own origin; uPlot and React set styles through the CSSOM, which
 * `style-src 'self'` allows, but uPlot's legend also writes style attributes, hence 'unsafe-inline'
 * for styles (never for scripts).
 */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
};

interface StaticFile {
  body: Buffer;
  contentType: string;
  etag: string;
  /** Vite's hashed assets never change under their name. */
  immutable: boolean;
}

const NOT_BUILT_PAGE = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Console not built</title>
<h1>The console is not built</h1><p>Run <code>npm run build:web</code> (npm start and npm test do it) and reload.</p>
<p lang="ko">콘솔이 빌드되지 않았습니다. <code>npm run build:web</code>을 실행한 뒤 새로고침하세요.</p></html>`;

async function loadFiles(directory: string): Promise<Map<string, StaticFile> | null> {
  let names: string[];
  try {
    names = await readdir(directory, { recursive: true });
  } catch {
    return null;
  }
  const files = new Map<string, StaticFile>();
  for (const name of names) {
    const contentType = CONTENT_TYPES[extname(name)];
    if (contentType === undefined) continue;
    const path = join(directory, name);
    const body = await readFile(path);
    const urlPath = relative(directory, path).split(sep).join('/');
    files.set(urlPath, {
      body,
      contentType,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
      immutable: urlPath.startsWith('assets/'),
    });
  }
  return files.has('index.html') ? files : null;
}

/**
 * Serves the built console at `/console`: files by path, and `index.html` for every other page
 * path (the console routes in the browser). Files are read once, on the first console request,
 * so a gateway that nobody opens the console on spends nothing on it.
 */
export function registerConsoleUi(
  app: FastifyInstance,
  options: { directory?: string } = {},
): void {
  const directory = options.directory ?? DEFAULT_CONSOLE_UI_DIRECTORY;
  let loading: Promise<Map<string, StaticFile> | null> | undefined;
  const files = () => {
    loading ??= loadFiles(directory).then((loaded) => {
      // Not built yet: try again on the next request, so building while running is enough.
      if (loaded === null) loading = undefined;
      return loaded;
    });
    return loading;
  };

  const serve = async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0] ?? '/console';
    if (path === CONSOLE_API_PREFIX || path.startsWith(`${CONSOLE_API_PREFIX}/`)) {
      const encoded = encodeOpenaiError(
        new GatewayError(
          'GW_ERR_ROUTE_NOT_FOUND',
          `No console route for ${request.method} ${path}.`,
        ),
      );
      return reply.code(encoded.status).send(encoded.body);
    }
    const loaded = await files();
    void reply.headers(SECURITY_HEADERS);
    if (loaded === null) {
      return reply.code(503).type('text/html; charset=utf-8').send(NOT_BUILT_PAGE);
    }
    const relativePath = decodeURIComponent(path.replace(/^\/console\/?/, ''));
    const file = loaded.get(relativePath);
    if (file === undefined && relativePath.startsWith('assets/')) {
      return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
    }
    const chosen = file ?? loaded.get('index.html');
    if (chosen === undefined) return reply.code(404).send();
    if (request.headers['if-none-match'] === chosen.etag) return reply.code(304).send();
    return reply
      .header('content-type', chosen.contentType)
      .header('etag', chosen.etag)
      .header(
        'cache-control',
        chosen.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      )
      .send(chosen.body);
  };

  app.get('/console', serve);
  app.get('/console/*', serve);
}
