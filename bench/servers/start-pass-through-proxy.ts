import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { pipeline } from 'node:stream/promises';
import { Agent, request } from 'undici';

/** Headers that describe one hop's connection, not the message (RFC 9110 §7.6.1), plus host. */
const HOP_HEADERS = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'host',
]);

export interface RunningProxy {
  url: string;
  close(): Promise<void>;
}

function endToEndHeaders(
  headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>,
): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_HEADERS.has(name)) kept[name] = value;
  }
  return kept;
}

/**
 * The floor every gateway is compared with: a keep-alive HTTP proxy that forwards method, path,
 * headers and body to one upstream and pipes the answer back, byte for byte, parsing nothing.
 *
 * The request body is collected into one buffer (still unparsed) rather than streamed to undici:
 * a stream body goes out in separate writes from the headers and cost this proxy ~20 µs more per
 * small request than the gateway's whole pipeline, which is no floor. The answer is piped, so
 * streams are relayed chunk by chunk as they arrive.
 */
export async function startPassThroughProxy(options: {
  upstreamUrl: string;
}): Promise<RunningProxy> {
  const upstream = new URL(options.upstreamUrl).origin;
  // No cap on connections to the upstream: the slow-streams run holds thousands of streams open
  // at once, and a capped pool would queue them instead of relaying them.
  const agent = new Agent({ keepAliveTimeout: 30_000 });

  async function forward(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    try {
      const hasBody = incoming.method !== 'GET' && incoming.method !== 'HEAD';
      const answer = await request(`${upstream}${incoming.url ?? '/'}`, {
        method: incoming.method ?? 'GET',
        headers: endToEndHeaders(incoming.headers),
        body: hasBody ? Buffer.concat(await incoming.toArray()) : null,
        dispatcher: agent,
      });
      outgoing.writeHead(answer.statusCode, endToEndHeaders(answer.headers));
      // pipeline destroys the upstream body when the client goes away mid-answer.
      await pipeline(answer.body, outgoing);
    } catch {
      if (!outgoing.headersSent) outgoing.writeHead(502).end();
      else outgoing.destroy();
    }
  }

  const server = createServer({ keepAliveTimeout: 65_000 }, (incoming, outgoing) => {
    void forward(incoming, outgoing);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy is not on TCP');
  return {
    url: `http://127.0.0.1:${address.port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await agent.close();
    },
  };
}
