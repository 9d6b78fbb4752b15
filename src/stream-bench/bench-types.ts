/** Which endpoint a request went to: one endpoint alone, or a gateway compared with its upstream. */
export type BenchTargetName = 'endpoint' | 'gateway' | 'direct';

/** One OpenAI-compatible endpoint the benchmark streams from. */
export interface BenchTarget {
  name: BenchTargetName;
  /** The base URL clients configure, e.g. `http://127.0.0.1:8080/v1` (`/chat/completions` is appended). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer`; local servers such as Ollama need none. */
  apiKey: string | undefined;
  model: string;
}

/** Where completion tokens came from: the final usage chunk, or counting chunks when there was none. */
export type TokenSource = 'usage' | 'chunks';

/** What one streamed answer measured; times are milliseconds from sending the request. */
export interface StreamMeasurement {
  /** Until the first content, reasoning or tool-call delta (not the role-only chunk, not comments). */
  ttftMs: number;
  /** Until the last byte. */
  totalMs: number;
  completionTokens: number;
  tokensFrom: TokenSource;
  /** Chunks that carried content, reasoning or tool-call deltas. */
  tokenChunks: number;
  finishReason: string | null;
}

/** One benchmarked request, measured or failed. */
export type BenchSample = {
  target: BenchTargetName;
  /** The answer length asked for, in tokens. */
  length: number;
  /** 1-based run number within its length and target. */
  run: number;
} & ({ ok: true; measurement: StreamMeasurement } | { ok: false; error: string });

export interface Distribution {
  avg: number;
  /** Nearest-rank percentiles: values some request had, never interpolated. */
  p50: number;
  p95: number;
}

/** The statistics of one answer length on one target (the seed's table row). */
export interface BenchRow {
  target: BenchTargetName;
  length: number;
  requests: number;
  succeeded: number;
  completionTokensAvg: number | null;
  /** `mixed` when some answers had a usage chunk and others did not. */
  tokensFrom: TokenSource | 'mixed' | null;
  ttftMs: Distribution | null;
  totalMs: Distribution | null;
  /** Mean over requests of completion tokens ÷ (t_end − t_first); null when no request had a gap. */
  tokensPerSecondAvg: number | null;
  /** Mean over requests of token chunks ÷ (t_end − t_first). */
  chunksPerSecondAvg: number | null;
}

/** Gateway minus direct for one answer length: what the gateway adds (differences of the statistics). */
export interface GatewayShare {
  length: number;
  ttftMs: Distribution;
  totalMs: Distribution;
}

/** Everything one `shepherd bench` run produced, as the formatters render it. */
export interface BenchReport {
  /** ISO 8601 time the measured runs started. */
  startedAt: string;
  settings: {
    lengths: number[];
    runs: number;
    concurrency: number;
    timeoutMs: number;
  };
  targets: Array<{ name: BenchTargetName; baseUrl: string; model: string }>;
  /** What answers upstream, when the benchmark started it (e.g. the bundled simulator). */
  upstream: string | null;
  rows: BenchRow[];
  shares: GatewayShare[];
  samples: BenchSample[];
  /** Stopped by Ctrl-C: the figures cover the requests finished until then. */
  interrupted: boolean;
}
