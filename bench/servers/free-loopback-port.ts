import { createServer } from 'node:net';

/**
 * A port free on loopback now, for a server that must be told its port on its command line
 * (Portkey's `--port=N`, `shepherd start --port N`) rather than picking one and announcing it.
 */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        if (address === null || typeof address === 'string') reject(new Error('no TCP port'));
        else resolve(address.port);
      });
    });
  });
}
