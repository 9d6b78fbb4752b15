import * as z from 'zod';

const count = (fallback: number, max: number) =>
  z.coerce.number().int().positive().max(max).default(fallback);

const settingsSchema = z.object({
  /** Measured rounds (each runs every phase on every target, interleaved). */
  BENCH_ROUNDS: count(5, 20),
  /** Leading rounds run the same way and are discarded (JIT, connection pools, SQLite cache). */
  BENCH_WARMUP_ROUNDS: z.coerce.number().int().min(0).max(5).default(1),
  /** Measured window of each throughput or streaming phase, ms. */
  BENCH_WINDOW_MS: count(1_500, 60_000),
  /** Concurrent connections of the non-streaming throughput phase. */
  BENCH_CONNECTIONS: count(50, 256),
  /** Concurrent streams of the streaming phases. */
  BENCH_STREAMS: count(16, 128),
  /** Tokens per streamed answer. */
  BENCH_STREAM_TOKENS: count(500, 4_000),
  /** Sequential requests per target and round in the time-to-first-token phases. */
  BENCH_TTFT_SAMPLES: count(100, 1_000),
  /** Sequential non-streaming requests per target and round in the added-latency phase. */
  BENCH_LATENCY_SAMPLES: count(200, 5_000),
  /** Request triples per round in the failover phase. */
  BENCH_FAILOVER_SAMPLES: count(200, 2_000),
  /** Streams held open at once in the slow-streams phase. */
  BENCH_SLOW_STREAMS: count(5_000, 15_000),
  /** "off" leaves the Portkey peer out (no npm install, shorter rounds). */
  BENCH_PORTKEY: z.enum(['on', 'off']).default('on'),
  /** Comma-separated phase ids to run (default: all), e.g. `requests,openai-ttft`. */
  BENCH_ONLY: z.string().optional(),
  /** "0" prints the table without appending it to docs/benchmarks.md (trial runs). */
  BENCH_WRITE_DOC: z.enum(['0', '1']).default('1'),
  /** "off" runs the gateway under test with `billing.enabled: false` (the pipeline without the ledger). */
  BENCH_GATEWAY_BILLING: z.enum(['on', 'off']).default('on'),
  /** A file to write every measured round to, as JSON (the raw data behind the medians). */
  BENCH_JSON: z.string().min(1).optional(),
});

export interface BenchSettings {
  rounds: number;
  warmupRounds: number;
  windowMs: number;
  connections: number;
  streams: number;
  streamTokens: number;
  ttftSamples: number;
  latencySamples: number;
  failoverSamples: number;
  slowStreams: number;
  /** Whether the Portkey gateway is installed (on demand) and measured as the peer. */
  portkey: boolean;
  writeDoc: boolean;
  /** Whether the gateway under test bills (reserve, settle, usage row) — the default — or not. */
  gatewayBilling: boolean;
  /** Where to write the raw rounds as JSON; undefined writes nothing. */
  jsonPath: string | undefined;
  /** Phase ids to run; empty means all. */
  only: string[];
  /** The BENCH_* variables that were set, for the record of the exact command. */
  overrides: string[];
}

/** Reads the bench's knobs from BENCH_* environment variables (all optional). */
export function readBenchSettings(env: NodeJS.ProcessEnv): BenchSettings {
  const parsed = settingsSchema.parse(env);
  const overrides = Object.keys(settingsSchema.shape)
    .filter((name) => env[name] !== undefined)
    .map((name) => `${name}=${env[name]}`);
  return {
    rounds: parsed.BENCH_ROUNDS,
    warmupRounds: parsed.BENCH_WARMUP_ROUNDS,
    windowMs: parsed.BENCH_WINDOW_MS,
    connections: parsed.BENCH_CONNECTIONS,
    streams: parsed.BENCH_STREAMS,
    streamTokens: parsed.BENCH_STREAM_TOKENS,
    ttftSamples: parsed.BENCH_TTFT_SAMPLES,
    latencySamples: parsed.BENCH_LATENCY_SAMPLES,
    failoverSamples: parsed.BENCH_FAILOVER_SAMPLES,
    slowStreams: parsed.BENCH_SLOW_STREAMS,
    portkey: parsed.BENCH_PORTKEY === 'on',
    writeDoc: parsed.BENCH_WRITE_DOC === '1',
    gatewayBilling: parsed.BENCH_GATEWAY_BILLING === 'on',
    jsonPath: parsed.BENCH_JSON,
    only: (parsed.BENCH_ONLY ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id !== ''),
    overrides,
  };
}
