import { failChildStart, serveBenchChild } from '../child/serve-bench-child.ts';
import { startPassThroughProxy } from './start-pass-through-proxy.ts';

/** Child process: the pass-through proxy in front of the simulator whose URL is argv[2]. */
async function main() {
  const upstreamUrl = process.argv[2];
  if (upstreamUrl === undefined) throw new Error('usage: proxy-child.ts <upstream url>');
  const proxy = await startPassThroughProxy({ upstreamUrl });
  serveBenchChild({ info: { url: proxy.url }, stop: () => proxy.close() });
}

main().catch(failChildStart);
