import { type ClientRequest, type IncomingMessage, request } from 'node:http';

/** A POST over node:http without an agent (no pooled sockets, no client-side timers). */
export function openRawStream(options: {
  url: string;
  path: string;
  body: unknown;
  headers: Record<string, string>;
}): Promise<{ request: ClientRequest; response: IncomingMessage }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      `${options.url}${options.path}`,
      {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', ...options.headers },
      },
      (response) => resolve({ request: outgoing, response }),
    );
    outgoing.on('error', reject);
    outgoing.end(JSON.stringify(options.body));
  });
}
