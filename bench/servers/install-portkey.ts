import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as z from 'zod';
import { safeParseJson } from '../../src/util/safe-parse-json.ts';

/** The peer gateway measured beside Shepherd, pinned so runs compare and the install is cached. */
export const PORTKEY_GATEWAY_VERSION = '1.15.2';
/**
 * Portkey's streams stall on Node 20 with the @hono/node-server its own dependencies pull in
 * (1.19); with 1.13.x they flow. An npm `overrides` entry forces it everywhere in the install.
 */
export const HONO_NODE_SERVER_VERSION = '1.13.8';

const INSTALL_TIMEOUT_MS = 180_000;
const MARKER_FILE = 'installed-by-shepherd-bench.json';
const PRELOAD_FILE = 'listen-on-loopback.mjs';

/**
 * Portkey's CLI takes a port but no host and listens on every interface; the bench keeps every
 * socket on loopback, so this preload binds the host-less listen call to 127.0.0.1.
 */
const PRELOAD_SOURCE = `// Written by Shepherd's bench (bench/servers/install-portkey.ts).
import { Server } from 'node:net';
const listen = Server.prototype.listen;
Server.prototype.listen = function listenOnLoopback(...args) {
  if (typeof args[0] === 'number' && args[1] === undefined) args[1] = '127.0.0.1';
  return listen.apply(this, args);
};
`;

export interface InstalledPortkey {
  /** The package's node entry point (its `bin`). */
  entry: string;
  /** file: URL of the loopback preload, for `node --import`. */
  preloadUrl: string;
  gatewayVersion: string;
  /** The @hono/node-server version Portkey's entry resolves. */
  nodeServerVersion: string;
  directory: string;
  /** True when a previous run's install was used as it was. */
  reused: boolean;
}

export type PortkeyInstall =
  | { ok: true; portkey: InstalledPortkey }
  | { ok: false; reason: string };

const packageJsonSchema = z.object({
  version: z.string(),
  bin: z.union([z.string(), z.record(z.string(), z.string())]).optional(),
  main: z.string().optional(),
});

function readPackageJson(path: string): z.infer<typeof packageJsonSchema> {
  const parsed = safeParseJson(readFileSync(path, 'utf8'));
  if (!parsed.ok) throw new Error(`${path} is not JSON`);
  return packageJsonSchema.parse(parsed.value);
}

/** Reads what an install holds; throws when it is incomplete or resolves the wrong node-server. */
function describeInstall(directory: string, reused: boolean): InstalledPortkey {
  const gatewayDirectory = join(directory, 'node_modules', '@portkey-ai', 'gateway');
  const gateway = readPackageJson(join(gatewayDirectory, 'package.json'));
  const bin = typeof gateway.bin === 'string' ? gateway.bin : Object.values(gateway.bin ?? {})[0];
  const entryFile = bin ?? gateway.main;
  if (entryFile === undefined) throw new Error('@portkey-ai/gateway names no bin or main');
  const entry = resolve(gatewayDirectory, entryFile);
  if (!existsSync(entry)) throw new Error(`${entry} is missing`);
  // Node resolves the copy nearest to the importing file first.
  const nodeServer = [gatewayDirectory, directory]
    .map((root) => join(root, 'node_modules', '@hono', 'node-server', 'package.json'))
    .find((path) => existsSync(path));
  if (nodeServer === undefined) throw new Error('@hono/node-server is not installed');
  const nodeServerVersion = readPackageJson(nodeServer).version;
  if (!nodeServerVersion.startsWith('1.13.')) {
    throw new Error(`Portkey resolves @hono/node-server ${nodeServerVersion}, not 1.13.x`);
  }
  return {
    entry,
    preloadUrl: pathToFileURL(join(directory, PRELOAD_FILE)).href,
    gatewayVersion: gateway.version,
    nodeServerVersion,
    directory,
    reused,
  };
}

function runNpmInstall(directory: string): Promise<void> {
  return new Promise((done, fail) => {
    const npm = spawn(
      'npm',
      ['install', '--prefix', directory, '--no-audit', '--no-fund', '--ignore-scripts'],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, npm_config_loglevel: 'error' },
      },
    );
    let errors = '';
    npm.stderr.on('data', (chunk: Buffer) => {
      errors = (errors + chunk.toString()).slice(-2_000);
    });
    const timer = setTimeout(() => npm.kill('SIGKILL'), INSTALL_TIMEOUT_MS);
    npm.once('error', (error) => {
      clearTimeout(timer);
      fail(error);
    });
    npm.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) done();
      else fail(new Error(`npm install ended with ${code ?? signal}: ${errors.trim()}`));
    });
  });
}

/**
 * Installs `@portkey-ai/gateway` (with @hono/node-server pinned to 1.13.x) from npm into a folder
 * under the system's temporary directory, named by both versions so later runs reuse it. The
 * install happens in a private folder renamed into place, so two runs at once cannot see half of
 * one. Never throws: without a registry the answer says why, and the bench goes on without Portkey.
 */
export async function installPortkey(): Promise<PortkeyInstall> {
  const directory = join(
    tmpdir(),
    `shepherd-bench-portkey-${PORTKEY_GATEWAY_VERSION}-node-server-${HONO_NODE_SERVER_VERSION}`,
  );
  if (existsSync(join(directory, MARKER_FILE))) {
    try {
      return { ok: true, portkey: describeInstall(directory, true) };
    } catch {
      // A damaged cache (files removed by a tmp cleaner): install afresh below.
      rmSync(directory, { recursive: true, force: true });
    }
  }
  const partial = mkdtempSync(`${directory}.partial-`);
  try {
    writeFileSync(
      join(partial, 'package.json'),
      JSON.stringify({
        name: 'shepherd-bench-portkey',
        private: true,
        dependencies: {
          '@portkey-ai/gateway': PORTKEY_GATEWAY_VERSION,
          '@hono/node-server': HONO_NODE_SERVER_VERSION,
        },
        overrides: { '@hono/node-server': HONO_NODE_SERVER_VERSION },
      }),
    );
    writeFileSync(join(partial, PRELOAD_FILE), PRELOAD_SOURCE);
    await runNpmInstall(partial);
    describeInstall(partial, false);
    writeFileSync(join(partial, MARKER_FILE), JSON.stringify({ installedAt: new Date() }));
    try {
      renameSync(partial, directory);
    } catch {
      // Another run finished the same install first: use that one.
      rmSync(partial, { recursive: true, force: true });
    }
    return { ok: true, portkey: describeInstall(directory, false) };
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}
