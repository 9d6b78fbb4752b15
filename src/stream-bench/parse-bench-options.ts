import {
  type LatencyProfile,
  type LatencySetting,
  latencyProfileSchema,
} from '../simulator/latency-profile.ts';
import type { BenchTarget } from './bench-types.ts';

/** `shepherd bench` flags as commander hands them over (strings, unvalidated). */
export interface RawBenchOptions {
  baseUrl?: string;
  apiKey?: string;
  model?: string;
  lengths: string;
  runs: string;
  concurrency: string;
  /** Seconds. */
  timeout: string;
  out?: string;
  format: string;
  compareDirect?: string;
  directApiKey?: string;
  directModel?: string;
  simulator?: boolean;
  latency?: string;
  simulatorProfile?: string;
}

export type BenchOutputFormat = 'table' | 'csv' | 'json';

/** What to benchmark: given endpoints, or a gateway and simulator the command starts itself. */
export type BenchSource =
  | { kind: 'endpoints'; targets: BenchTarget[] }
  | {
      kind: 'simulator';
      model: string;
      /** The model sent straight to the simulator; default: the gateway's upstream name for `model`. */
      directModel: string | undefined;
      latency: LatencySetting;
    };

export interface BenchSettings {
  source: BenchSource;
  lengths: number[];
  runs: number;
  concurrency: number;
  timeoutMs: number;
  format: BenchOutputFormat;
  out: { path: string; format: 'csv' | 'json' } | undefined;
}

export const DEFAULT_SIMULATOR_MODEL = 'gpt-4.1';
const MAX_LENGTH_TOKENS = 100_000;

/**
 * Validates every flag before anything starts, so a typo costs no requests. Throws an Error whose
 * message names the flag.
 */
export function parseBenchOptions(raw: RawBenchOptions): BenchSettings {
  // Repeats removed by value, once parsed: `200,0200` is one length, not two.
  const lengths = [
    ...new Set(
      raw.lengths
        .split(',')
        .map((part) => integerIn(part.trim(), '--lengths', 1, MAX_LENGTH_TOKENS)),
    ),
  ];
  const format = raw.format;
  if (format !== 'table' && format !== 'csv' && format !== 'json') {
    throw new Error(`--format must be table, csv or json, not "${format}"`);
  }
  const timeoutSeconds = Number(raw.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0 || timeoutSeconds > 3_600) {
    throw new Error(`--timeout must be a number of seconds in (0, 3600], not "${raw.timeout}"`);
  }
  return {
    source: parseSource(raw),
    lengths,
    runs: integerIn(raw.runs, '--runs', 1, 1_000),
    concurrency: integerIn(raw.concurrency, '--concurrency', 1, 256),
    timeoutMs: Math.round(timeoutSeconds * 1000),
    format,
    out: raw.out === undefined ? undefined : { path: raw.out, format: outFormat(raw.out) },
  };
}

function parseSource(raw: RawBenchOptions): BenchSource {
  if (raw.simulator === true) {
    if (raw.baseUrl !== undefined || raw.compareDirect !== undefined) {
      throw new Error(
        '--simulator starts its own gateway and simulator: drop --base-url/--compare-direct',
      );
    }
    return {
      kind: 'simulator',
      model: raw.model ?? DEFAULT_SIMULATOR_MODEL,
      directModel: raw.directModel,
      latency: parseLatency(raw),
    };
  }
  if (raw.latency !== undefined || raw.simulatorProfile !== undefined) {
    throw new Error('--latency applies only with --simulator');
  }
  if (raw.baseUrl === undefined) {
    throw new Error('give --base-url (with --api-key and --model), or --simulator');
  }
  if (raw.model === undefined) throw new Error('--model is required with --base-url');
  const main: BenchTarget = {
    name: raw.compareDirect === undefined ? 'endpoint' : 'gateway',
    baseUrl: httpUrl(raw.baseUrl, '--base-url'),
    apiKey: raw.apiKey,
    model: raw.model,
  };
  if (raw.compareDirect === undefined) {
    if (raw.directApiKey !== undefined || raw.directModel !== undefined) {
      throw new Error('--direct-api-key and --direct-model need --compare-direct');
    }
    return { kind: 'endpoints', targets: [main] };
  }
  const direct: BenchTarget = {
    name: 'direct',
    baseUrl: httpUrl(raw.compareDirect, '--compare-direct'),
    apiKey: raw.directApiKey ?? raw.apiKey,
    model: raw.directModel ?? raw.model,
  };
  return { kind: 'endpoints', targets: [main, direct] };
}

function parseLatency(raw: RawBenchOptions): LatencySetting {
  if (raw.simulatorProfile !== undefined) return parseSimulatorProfile(raw.simulatorProfile);
  const latency = raw.latency ?? 'realistic';
  if (latency !== 'realistic' && latency !== 'instant') {
    throw new Error(`--latency must be realistic or instant, not "${latency}"`);
  }
  return latency;
}

/** `ttft=20,tps=2000[,chunk=1]`: one latency profile for every model. */
function parseSimulatorProfile(text: string): LatencyProfile {
  const fields = new Map<string, number>();
  for (const part of text.split(',')) {
    const [name, value, extra] = part.split('=').map((piece) => piece.trim());
    if (name === undefined || value === undefined || extra !== undefined || value === '') {
      throw new Error(`--simulator-profile takes ttft=MS,tps=N[,chunk=N], not "${text}"`);
    }
    fields.set(name, Number(value));
  }
  const unknown = [...fields.keys()].filter((name) => !['ttft', 'tps', 'chunk'].includes(name));
  const parsed = latencyProfileSchema.safeParse({
    timeToFirstTokenMs: fields.get('ttft'),
    tokensPerSecond: fields.get('tps'),
    ...(fields.has('chunk') ? { tokensPerChunk: fields.get('chunk') } : {}),
  });
  if (unknown.length > 0 || !parsed.success) {
    throw new Error(`--simulator-profile takes ttft=MS,tps=N[,chunk=N], not "${text}"`);
  }
  const { timeToFirstTokenMs, tokensPerSecond, tokensPerChunk } = parsed.data;
  return tokensPerChunk === undefined
    ? { timeToFirstTokenMs, tokensPerSecond }
    : { timeToFirstTokenMs, tokensPerSecond, tokensPerChunk };
}

function httpUrl(value: string, flag: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${flag} must be an http:// or https:// URL, not "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${flag} must be an http:// or https:// URL, not "${value}"`);
  }
  return value.replace(/\/+$/, '');
}

function integerIn(text: string, flag: string, min: number, max: number): number {
  const value = /^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new Error(`${flag} takes whole numbers from ${min} to ${max}, not "${text}"`);
  }
  return value;
}

function outFormat(path: string): 'csv' | 'json' {
  const lower = path.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.json')) return 'json';
  throw new Error(`--out must name a .csv or .json file, not "${path}"`);
}
