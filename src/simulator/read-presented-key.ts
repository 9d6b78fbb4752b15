import type { IncomingHttpHeaders } from 'node:http';

/** The credential a request presents, in whichever way its dialect sends it. */
export function readPresentedKey(headers: IncomingHttpHeaders, url: URL): string | undefined {
  const bearer = /^Bearer\s+(\S+)/i.exec(headers.authorization ?? '')?.[1];
  const header = headers['x-api-key'] ?? headers['x-goog-api-key'];
  return (
    bearer ??
    (Array.isArray(header) ? header[0] : header) ??
    url.searchParams.get('key') ??
    undefined
  );
}

/**
 * Keys containing this are refused (401; Gemini: 400, as Google answers an invalid key), and the
 * refusal quotes the key in full, as a careless provider would: the gateway must keep provider keys
 * out of what it shows and logs.
 */
export const REVOKED_KEY_MARKER = 'revoked';
