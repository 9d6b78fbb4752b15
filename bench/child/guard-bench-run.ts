import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchPrograms } from './build-bench-programs.ts';
import { type ChildGroup, createChildGroup } from './create-child-group.ts';
import type { BenchChild } from './spawn-bench-child.ts';

export interface GuardedBenchRun {
  children: ChildGroup;
  /** A temporary folder for the gateways' databases, configs and logs. */
  dataDirectory: string;
  /** Kills every child and removes the folder; safe to call more than once. */
  cleanUp(): void;
  /** The run ended by itself: the watchdog stands down. */
  disarm(): void;
}

/**
 * What a bench tool sets up before anything starts (`npm run bench`, profile-target,
 * compare-gateways, trace-first-token): its child processes and its temporary folder, both gone
 * when the process exits however it exits (Ctrl-C and SIGTERM included), and a watchdog that ends
 * the run after `hardLimitMs`, telling `onTimeout` first.
 */
export function guardBenchRun(
  hardLimitMs: number,
  options: { onTimeout?: () => void } = {},
): GuardedBenchRun {
  const dataDirectory = mkdtempSync(join(tmpdir(), 'shepherd-bench-'));
  const children = createChildGroup();
  let cleaned = false;
  const cleanUp = () => {
    if (cleaned) return;
    cleaned = true;
    children.killAll();
    rmSync(dataDirectory, { recursive: true, force: true });
  };
  process.once('exit', cleanUp);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      cleanUp();
      process.exit(130);
    });
  }
  const watchdog = setTimeout(() => {
    options.onTimeout?.();
    cleanUp();
    process.exit(1);
  }, hardLimitMs);
  watchdog.unref();
  return { children, dataDirectory, cleanUp, disarm: () => clearTimeout(watchdog) };
}

/**
 * The upstream simulator and the load generator, on CPU 0 as in `npm run bench`;
 * `loadGeneratorNodeFlags` go to the load generator (a tracing preload, say).
 */
export async function startBenchHelpers(
  children: ChildGroup,
  programs: BenchPrograms,
  options: { loadGeneratorNodeFlags?: string[] } = {},
): Promise<{ upstreamUrl: string; loadGenerator: BenchChild }> {
  const [upstream, loadGenerator] = await Promise.all([
    children.spawn({
      name: 'upstream simulator',
      script: programs.script('servers/simulator-child.ts'),
      cpus: '0',
    }),
    children.spawn({
      name: 'load generator',
      script: programs.script('load/load-generator-child.ts'),
      cpus: '0',
      ...(options.loadGeneratorNodeFlags === undefined
        ? {}
        : { nodeFlags: options.loadGeneratorNodeFlags }),
    }),
  ]);
  return { upstreamUrl: upstream.info.url ?? '', loadGenerator };
}
