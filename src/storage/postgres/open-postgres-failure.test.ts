import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { openStore } from '../open-store.ts';

/** A loopback port nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

test('a PostgreSQL server that cannot be reached is named in the error, without its password', async () => {
  const port = await closedPort();
  await assert.rejects(
    openStore({ url: `postgres://shepherd:canary-pw-51f0@127.0.0.1:${port}/gateway` }),
    (error: Error) => {
      assert.match(error.message, /PostgreSQL/);
      assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${port}/gateway`));
      assert.match(error.message, /ECONNREFUSED/);
      assert.doesNotMatch(error.message, /canary-pw-51f0/);
      return true;
    },
  );
});
