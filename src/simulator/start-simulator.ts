import { createServer } from 'node:http';
import * as z from 'zod';
import { createFaultController, type FaultController } from './create-fault-controller.ts';
import { createPromptCache } from './create-prompt-cache.ts';
import { createRequestHandler, type SimulatorContext } from './create-request-handler.ts';
import { createRequestLog, type LoggedRequest } from './create-request-log.ts';
import { describeZodIssues } from './describe-zod-issues.ts';
import {
  createLatencyResolver,
  type LatencyProfile,
  latencyProfileSchema,
} from './latency-profile.ts';

export interface SimulatorOptions {
  /** Default 127.0.0.1: the simulator is a loopback service. */
  host?: string;
  /** Default 0: any free port (read it back from `port`). */
  port?: number;
  /** Default 'realistic' (per-model profiles, ~400 ms to first token, ~180 tokens/s); tests use 'instant'. */
  latency?: LatencyProfile | 'realistic' | 'instant';
  /** Per-model overrides (exact name or name prefix; the longest match wins). */
  profiles?: Record<string, LatencyProfile>;
  /** How many received requests `requests` keeps (default 200). */
  requestLogLimit?: number;
  /** Draws for faults with a `probability`, in [0, 1) (default Math.random; tests script it). */
  random?: () => number;
}

export interface RunningSimulator {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:41234`. */
  url: string;
  port: number;
  faults: FaultController;
  /**
   * The last received requests (live, oldest first, admin calls excluded, secrets masked), so a
   * test can assert what the upstream saw. Bounded by `requestLogLimit`.
   */
  requests: readonly LoggedRequest[];
  /** Empties `requests`. */
  clearRequests(): void;
  /** Responses still being written (a client that goes away ends its response at once). */
  inFlightCount(): number;
  /** Stops listening, ends open connections and in-flight generations; leaves no handle open. */
  close(): Promise<void>;
}

const optionsSchema = z.strictObject({
  host: z.string().min(1).optional(),
  port: z.number().int().min(0).max(65_535).optional(),
  latency: z.union([z.literal('realistic'), z.literal('instant'), latencyProfileSchema]).optional(),
  profiles: z.record(z.string().min(1), latencyProfileSchema).optional(),
  requestLogLimit: z.number().int().positive().max(100_000).optional(),
  random: z
    .custom<() => number>((value) => typeof value === 'function', 'random must be a function')
    .optional(),
});

/**
 * Starts Shepherd's provider simulator: a loopback HTTP server that answers like OpenAI, DeepSeek,
 * Anthropic and Gemini (see README.md in this folder). Throws on invalid options.
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success)
    throw new Error(`Invalid simulator options: ${describeZodIssues(parsed.error)}`);
  const host = options.host ?? '127.0.0.1';
  const faults = createFaultController(options.random);
  const requests = createRequestLog(options.requestLogLimit);
  let sequence = 0;
  const context: SimulatorContext = {
    faults,
    requests,
    promptCache: createPromptCache(),
    resolveLatency: createLatencyResolver({
      latency: options.latency ?? 'realistic',
      profiles: options.profiles ?? {},
    }),
    inFlight: new Set(),
    nextSequence: () => {
      sequence += 1;
      return sequence;
    },
  };
  const server = createServer({ keepAliveTimeout: 5_000 }, createRequestHandler(context));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string')
    throw new Error('Simulator is not listening on TCP');
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    faults,
    requests: requests.entries,
    clearRequests: () => requests.clear(),
    inFlightCount: () => context.inFlight.size,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        for (const controller of context.inFlight) controller.abort();
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
