import type { ChildGroup } from '../child/create-child-group.ts';
import { canReadProcessUsage } from '../child/read-process-usage.ts';
import type { BenchChild } from '../child/spawn-bench-child.ts';
import type { BenchSettings } from '../read-bench-settings.ts';
import type { PeerOutcome } from '../report/build-bench-report.ts';
import { installPortkey } from './install-portkey.ts';
import { startPortkey } from './start-portkey.ts';

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Installs (or reuses) and starts the Portkey peer, pinned to `cpus`. Never throws: when it is
 * turned off, cannot be installed or does not start, the answer says why and the run goes on.
 */
export async function startPeer(options: {
  settings: BenchSettings;
  children: ChildGroup;
  upstreamUrl: string;
  cpus: string;
  log: (message: string) => void;
}): Promise<{ peer: PeerOutcome; child?: BenchChild }> {
  if (!options.settings.portkey) return { peer: { state: 'off' } };
  if (!canReadProcessUsage()) {
    return { peer: { state: 'skipped', reason: 'its CPU and memory are read from /proc (Linux)' } };
  }
  options.log('installing the Portkey gateway from npm (cached under the temporary directory)');
  const install = await installPortkey();
  if (!install.ok) {
    options.log(`Portkey skipped: ${install.reason}`);
    return { peer: { state: 'skipped', reason: `npm install failed (${install.reason})` } };
  }
  const { portkey } = install;
  try {
    const child = await startPortkey({
      children: options.children,
      portkey,
      upstreamUrl: options.upstreamUrl,
      cpus: options.cpus,
    });
    return {
      peer: {
        state: 'measured',
        gatewayVersion: portkey.gatewayVersion,
        nodeServerVersion: portkey.nodeServerVersion,
        directory: portkey.directory,
        reused: portkey.reused,
      },
      child,
    };
  } catch (error) {
    options.log(`Portkey skipped: ${describeError(error)}`);
    return { peer: { state: 'skipped', reason: `it did not start (${describeError(error)})` } };
  }
}
