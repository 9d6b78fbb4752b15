import { request } from 'node:http';

export interface AnswerFromAddress {
  status: number;
  retryAfter: string | undefined;
  text: string;
}

/**
 * One request from a chosen loopback address (Linux answers on all of 127/8), so a gateway sees
 * distinct clients without a proxy in between. A `body` is sent as JSON with a POST.
 */
export function requestFromAddress(
  url: string,
  options: { from: string; headers?: Record<string, string>; body?: unknown },
): Promise<AnswerFromAddress> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const outgoing = request(
      url,
      {
        method: options.body === undefined ? 'GET' : 'POST',
        localAddress: options.from,
        headers,
        agent: false,
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
    outgoing.end(options.body === undefined ? undefined : JSON.stringify(options.body));
  });
}
