import {
  type BenchChild,
  type SpawnBenchChildOptions,
  spawnBenchChild,
} from './spawn-bench-child.ts';
import { type SpawnForeignChildOptions, spawnForeignChild } from './spawn-foreign-child.ts';

export interface ChildGroup {
  spawn(options: SpawnBenchChildOptions): Promise<BenchChild>;
  /** Starts a program that is no bench child (a peer gateway), measured from the outside. */
  spawnForeign(options: SpawnForeignChildOptions): Promise<BenchChild>;
  /** Stops every child politely (each is killed if it does not exit in time). */
  stopAll(): Promise<void>;
  /** SIGKILLs every child now; safe in an `exit` handler. */
  killAll(): void;
}

/** Keeps every child the bench starts so that none survives the run, whatever happens. */
export function createChildGroup(): ChildGroup {
  const children: BenchChild[] = [];
  const killers: Array<() => void> = [];
  return {
    async spawn(options) {
      const child = await spawnBenchChild({ ...options, onSpawned: (kill) => killers.push(kill) });
      children.push(child);
      return child;
    },
    async spawnForeign(options) {
      const child = await spawnForeignChild({
        ...options,
        onSpawned: (kill) => killers.push(kill),
      });
      children.push(child);
      return child;
    },
    async stopAll() {
      await Promise.all(children.map((child) => child.stop()));
    },
    killAll() {
      for (const kill of killers) kill();
    },
  };
}
