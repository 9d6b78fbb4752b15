import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  CPU_METHOD,
  type CpuUsage,
  childMessageSchema,
  cpuUsageSchema,
  MEMORY_METHOD,
  type MemoryRequest,
  type MemorySnapshot,
  memorySnapshotSchema,
  STOP_METHOD,
} from './child-messages.ts';
import { waitUntilAnswering } from './wait-until-answering.ts';

export interface BenchChild {
  name: string;
  pid: number;
  /** What the child announced when it became ready (URLs, keys). */
  info: Record<string, string>;
  call(method: string, payload: unknown, timeoutMs: number): Promise<unknown>;
  /** CPU time (user + system) of the child so far, in microseconds. */
  cpuMicros(): Promise<number>;
  /** The child's resident set (and, for bench children, its heap) now. */
  memory(request?: MemoryRequest): Promise<MemorySnapshot>;
  /** Asks the child to close and exit; kills it if it does not within a few seconds. */
  stop(): Promise<void>;
  /** Immediate SIGKILL (emergency cleanup; safe to call twice). */
  kill(): void;
}

export interface SpawnBenchChildOptions {
  name: string;
  /**
   * The JavaScript file node runs: a bench child bundled by build-bench-programs.ts, or the
   * gateway's production bundle. No TypeScript loader runs in a process under test.
   */
  script: string;
  args?: string[];
  /** CPU list for `taskset -c` (e.g. "1"); ignored where taskset is missing. */
  cpus?: string;
  /** Node flags placed before the script (e.g. `--cpu-prof`, `--import <preload>`). */
  nodeFlags?: string[];
  /** Where the child's stdout goes (a file descriptor); inherited by default. */
  stdout?: number;
  /** Set: after its IPC `ready`, the child is ready only once a GET of this URL answers 2xx. */
  readyUrl?: string;
  /** Known by the parent, merged over what the child announced (URLs, keys). */
  info?: Record<string, string>;
  /** The child's environment (default: the bench's). */
  env?: NodeJS.ProcessEnv;
  readyTimeoutMs?: number;
  /** Called right after the spawn, before the child is ready, with a way to SIGKILL it. */
  onSpawned?: (kill: () => void) => void;
}

let tasksetAvailable: boolean | undefined;

/** Whether `taskset` can pin processes here (checked once). */
export function canPinCpus(): boolean {
  tasksetAvailable ??= spawnSync('taskset', ['-c', '0', 'true']).status === 0;
  return tasksetAvailable;
}

/** Starts a bench child (`node <script>`) with an IPC channel, pinned if asked. */
export async function spawnBenchChild(options: SpawnBenchChildOptions): Promise<BenchChild> {
  const nodeArgs = [
    // Lets a `memory` call collect garbage first, so a leak check compares live data only.
    '--expose-gc',
    ...(options.nodeFlags ?? []),
    options.script,
    ...(options.args ?? []),
  ];
  const pinned = options.cpus !== undefined && canPinCpus();
  const command = pinned ? 'taskset' : process.execPath;
  const args = pinned ? ['-c', options.cpus ?? '', process.execPath, ...nodeArgs] : nodeArgs;
  const child = spawn(command, args, {
    stdio: ['ignore', options.stdout ?? 'inherit', 'inherit', 'ipc'],
    ...(options.env === undefined ? {} : { env: options.env }),
  });
  if (child.pid === undefined) throw new Error(`${options.name}: spawn failed`);
  options.onSpawned?.(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 1;
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = true;
      for (const waiter of pending.values()) {
        waiter.reject(new Error(`${options.name} exited (code ${code}, signal ${signal})`));
      }
      pending.clear();
      resolve();
    });
  });
  const announced = await waitForReady(child, options, exit);
  if (options.readyUrl !== undefined) {
    try {
      await waitUntilAnswering({
        name: options.name,
        url: options.readyUrl,
        timeoutMs: options.readyTimeoutMs ?? 30_000,
        exited: () => exited,
      });
    } catch (error) {
      if (!exited) child.kill('SIGKILL');
      throw error;
    }
  }
  const info = { ...announced, ...options.info };

  child.on('message', (raw: unknown) => {
    const parsed = childMessageSchema.safeParse(raw);
    if (!parsed.success || parsed.data.kind === 'ready') return;
    const waiter = pending.get(parsed.data.id);
    if (waiter === undefined) return;
    pending.delete(parsed.data.id);
    if (parsed.data.kind === 'reply') waiter.resolve(parsed.data.result);
    else waiter.reject(new Error(`${options.name}: ${parsed.data.message}`));
  });

  function call(method: string, payload: unknown, timeoutMs: number): Promise<unknown> {
    if (exited) return Promise.reject(new Error(`${options.name} is not running`));
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`${options.name}: ${method} took over ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      child.send({ kind: 'call', id, method, payload });
    });
  }

  const kill = () => {
    if (!exited) child.kill('SIGKILL');
  };

  return {
    name: options.name,
    pid: child.pid,
    info,
    call,
    async cpuMicros() {
      const usage: CpuUsage = cpuUsageSchema.parse(await call(CPU_METHOD, null, 5_000));
      return usage.user + usage.system;
    },
    async memory(request = { collectGarbage: false }) {
      return memorySnapshotSchema.parse(await call(MEMORY_METHOD, request, 10_000));
    },
    async stop() {
      if (exited) return;
      await call(STOP_METHOD, null, 3_000).catch(() => undefined);
      const timer = setTimeout(kill, 5_000);
      await exit;
      clearTimeout(timer);
    },
    kill,
  };
}

function waitForReady(
  child: ChildProcess,
  options: SpawnBenchChildOptions,
  exit: Promise<void>,
): Promise<Record<string, string>> {
  const timeoutMs = options.readyTimeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${options.name} was not ready within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (raw: unknown) => {
      const parsed = childMessageSchema.safeParse(raw);
      if (!parsed.success || parsed.data.kind !== 'ready') return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(parsed.data.info);
    };
    child.on('message', onMessage);
    void exit.then(() => {
      clearTimeout(timer);
      reject(new Error(`${options.name} exited before it was ready`));
    });
  });
}
