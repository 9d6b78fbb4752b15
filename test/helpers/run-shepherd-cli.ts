import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CLI = ['--import', 'tsx', 'src/cli/main.ts'];
const cwd = new URL('../..', import.meta.url).pathname;

/**
 * The environment of a CLI child: provider keys and SHEPHERD_* variables removed, so `start` always
 * serves the built-in simulator and the built-in config, whatever the machine has set; then `extra`.
 */
export function cliEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const kept = Object.entries(process.env).filter(
    ([name]) => !/_API_KEY$/.test(name) && !name.startsWith('SHEPHERD_'),
  );
  return { ...Object.fromEntries(kept), ...extra };
}

/** Runs `shepherd <args>` to completion; rejects with its stderr when it exits non-zero. */
export async function runShepherd(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  try {
    const { stdout } = await run(process.execPath, [...CLI, ...args], { cwd, env });
    return stdout;
  } catch (error) {
    const failed = error as { stderr?: string; message: string };
    throw new Error(`shepherd ${args.join(' ')} failed: ${failed.stderr ?? failed.message}`);
  }
}

export interface ShepherdResult {
  stdout: string;
  stderr: string;
  /** The exit code: 0 on success. */
  code: number;
}

/**
 * Runs `shepherd <args>` to completion (with `stdin` piped in, if given) and returns its output and
 * exit code, failing or not.
 */
export async function runShepherdResult(
  args: string[],
  env: NodeJS.ProcessEnv = cliEnvironment(),
  stdin?: string,
): Promise<ShepherdResult> {
  try {
    const pending = run(process.execPath, [...CLI, ...args], { cwd, env });
    if (stdin !== undefined) pending.child.stdin?.end(stdin);
    const { stdout, stderr } = await pending;
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; code?: number };
    return { stdout: failed.stdout ?? '', stderr: failed.stderr ?? '', code: failed.code ?? 1 };
  }
}

/** A loopback port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export interface ShepherdServer {
  child: ChildProcess;
  /** http://127.0.0.1:PORT */
  origin: string;
  /** The last part of the child's stdout and stderr, for failure messages. */
  output(): string;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
}

const OUTPUT_KEPT = 20_000;

/**
 * Starts `shepherd start --port <port> --database <url>` and resolves once /readyz answers 200 (the
 * gateway recovers its holds before it listens, so ready means recovered).
 */
export async function startShepherd(options: {
  port: number;
  databaseUrl: string;
  env: NodeJS.ProcessEnv;
  readyTimeoutMs?: number;
}): Promise<ShepherdServer> {
  const child = spawn(
    process.execPath,
    [...CLI, 'start', '--port', String(options.port), '--database', options.databaseUrl],
    { cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_KEPT);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const origin = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 20_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`shepherd start exited early:\n${output}`);
    }
    try {
      const response = await fetch(`${origin}/readyz`, { signal: AbortSignal.timeout(1_000) });
      await response.arrayBuffer();
      if (response.status === 200) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`shepherd start was not ready in time:\n${output}`);
    }
    await delay(50);
  }
  return { child, origin, output: () => output, exited };
}
