import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GatewayMetrics } from '../metrics/gateway-metrics.ts';
import { PROMETHEUS_CONTENT_TYPE } from './routes/metrics-route.ts';

export interface MetricsListener {
  url: string;
  close(): Promise<void>;
}

/**
 * A listener of its own for Prometheus (`metrics.port`), without authentication: bind it to
 * loopback or a private interface. It serves `GET /metrics` and nothing else.
 */
export async function startMetricsListener(options: {
  metrics: GatewayMetrics;
  host: string;
  port: number;
}): Promise<MetricsListener> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (request.method !== 'GET' || path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Only GET /metrics here.\n');
      return;
    }
    response
      .writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE })
      .end(options.metrics.render());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
