import type { ServerResponse } from 'node:http';
import type { HttpReply } from './response-plan.ts';

/** Writes a complete answer with its length. */
export function sendReply(response: ServerResponse, reply: HttpReply): void {
  response.writeHead(reply.status, {
    ...reply.headers,
    'content-length': String(Buffer.byteLength(reply.body)),
  });
  response.end(reply.body);
}
