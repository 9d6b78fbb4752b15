import type { ChildGroup } from '../child/create-child-group.ts';
import type { BenchChild } from '../child/spawn-bench-child.ts';
import { freeLoopbackPort } from './free-loopback-port.ts';
import type { InstalledPortkey } from './install-portkey.ts';

/**
 * Starts the installed Portkey gateway as its CLI runs it (`--headless`: no log UI), on a free
 * loopback port, pinned to `cpus`. Its `info.upstream` is the base URL clients name in the
 * `x-portkey-custom-host` header.
 */
export async function startPortkey(options: {
  children: ChildGroup;
  portkey: InstalledPortkey;
  upstreamUrl: string;
  cpus: string;
}): Promise<BenchChild> {
  const port = await freeLoopbackPort();
  const url = `http://127.0.0.1:${port}`;
  return options.children.spawnForeign({
    name: 'portkey',
    command: process.execPath,
    args: [
      '--import',
      options.portkey.preloadUrl,
      options.portkey.entry,
      `--port=${port}`,
      '--headless',
    ],
    cpus: options.cpus,
    readyUrl: `${url}/`,
    info: { url, upstream: `${options.upstreamUrl}/v1` },
  });
}
