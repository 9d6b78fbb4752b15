import { spawn } from 'node:child_process';
import { readProcessCpuMicros, readProcessRssBytes } from './read-process-usage.ts';
import { type BenchChild, canPinCpus } from './spawn-bench-child.ts';
import { waitUntilAnswering } from './wait-until-answering.ts';

export interface SpawnForeignChildOptions {
  name: string;
  /** The program and its arguments, run as they are (no tsx, no IPC). */
  command: string;
  args: string[];
  /** CPU list for `taskset -c`; ignored where taskset is missing. */
  cpus?: string;
  /** Ready once a GET of this URL answers 2xx. */
  readyUrl: string;
  /** What the bench knows about the process (its URL). */
  info: Record<string, string>;
  readyTimeoutMs?: number;
  /** Called right after the spawn, before the child is ready, with a way to SIGKILL it. */
  onSpawned?: (kill: () => void) => void;
}

/**
 * Starts a program the bench did not write (a peer gateway) exactly as its users run it, pinned
 * like a bench child, and measures it from the outside: CPU time and resident set from /proc, since
 * it speaks no bench IPC. Its stdout (banners, a terminal-clearing escape) and stderr are not shown.
 */
export async function spawnForeignChild(options: SpawnForeignChildOptions): Promise<BenchChild> {
  const pinned = options.cpus !== undefined && canPinCpus();
  const command = pinned ? 'taskset' : options.command;
  const args = pinned ? ['-c', options.cpus ?? '', options.command, ...options.args] : options.args;
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  // A peer may log every failed request to stderr (thousands of lines under the slow-streams run);
  // only the tail is kept, to explain a failed start.
  let stderrTail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-2_000);
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${options.name}: spawn failed`);
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
  });
  const kill = () => {
    if (!exited) child.kill('SIGKILL');
  };
  options.onSpawned?.(kill);

  try {
    await waitUntilAnswering({
      name: options.name,
      url: options.readyUrl,
      timeoutMs: options.readyTimeoutMs ?? 30_000,
      exited: () => exited,
      describeExit: () => stderrTail.trim(),
    });
  } catch (error) {
    kill();
    throw error;
  }

  const running = () => {
    if (exited) throw new Error(`${options.name} is not running`);
  };
  return {
    name: options.name,
    pid,
    info: options.info,
    call: (method) => Promise.reject(new Error(`${options.name} takes no bench calls (${method})`)),
    async cpuMicros() {
      running();
      return readProcessCpuMicros(pid);
    },
    async memory() {
      running();
      return { rssBytes: readProcessRssBytes(pid) };
    },
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(kill, 5_000);
      await exit;
      clearTimeout(timer);
    },
    kill,
  };
}
