import { BILLING_TARGETS, type TargetName } from '../build-bench-phases.ts';
import type { PhaseMeasurement } from './measure-phase.ts';
import { median, percentile } from './statistics.ts';

/** Measured rounds (warm-up excluded) of one phase, per target, in round order. */
export type PhaseRounds = Record<TargetName, PhaseMeasurement[]>;

export interface RequestsSummary {
  target: TargetName;
  requestsPerSecond: number;
  cpuMicrosPerRequest: number;
  /** Share of one core the process under test used during the window (1 = a full core). */
  coreUse: number;
  /** Median over rounds of this target's CPU per request ÷ the proxy's in the same round. */
  cpuRatioToProxy: number;
}

export interface BillingSummary {
  target: TargetName;
  requestsPerSecond: number;
  cpuMicrosPerRequest: number;
  coreUse: number;
  /** Median over rounds of this target's CPU per request ÷ the billing-off gateway's. */
  cpuRatioToUnbilled: number;
}

export interface StreamSummary {
  target: TargetName;
  cpuMicrosPerChunk: number;
  chunksPerSecond: number;
  chunksPerStream: number;
  coreUse: number;
  cpuRatioToProxy: number;
  /** Median over rounds of (this target's CPU per chunk − the proxy's of the same round), µs. */
  cpuMicrosPerChunkOverProxy: number;
}

/** Time to first token, or to the whole answer (the latency phase), at concurrency 1. */
export interface LatencySummary {
  target: TargetName;
  p50Ms: number;
  p99Ms: number;
  /** Median over rounds of (this target's p50 − the direct p50 of the same round). */
  addedP50Ms: number;
  addedP99Ms: number;
  /** Median over rounds of (this target's p50 − the proxy's p50 of the same round). */
  overProxyP50Ms: number;
  overProxyP99Ms: number;
  samples: number;
}

function perRound(
  rounds: PhaseRounds,
  target: TargetName,
  value: (measurement: PhaseMeasurement, round: number) => number,
): number {
  return median(rounds[target].map(value));
}

function ratioToProxy(
  rounds: PhaseRounds,
  target: TargetName,
  value: (measurement: PhaseMeasurement) => number,
): number {
  return perRound(rounds, target, (measurement, round) => {
    const proxy = rounds.proxy[round];
    return proxy === undefined ? Number.NaN : value(measurement) / value(proxy);
  });
}

const cpuPerRequest = (measurement: PhaseMeasurement) =>
  measurement.cpuMicros / measurement.completed;
const cpuPerChunk = (measurement: PhaseMeasurement) =>
  measurement.cpuMicros / measurement.contentChunks;
const coreUse = (measurement: PhaseMeasurement) =>
  measurement.cpuMicros / (measurement.elapsedMs * 1_000);

export function summarizeRequests(
  rounds: PhaseRounds,
  targets: readonly TargetName[],
): RequestsSummary[] {
  return targets.map((target) => ({
    target,
    requestsPerSecond: perRound(rounds, target, (m) => m.completed / (m.elapsedMs / 1_000)),
    cpuMicrosPerRequest: perRound(rounds, target, cpuPerRequest),
    coreUse: perRound(rounds, target, coreUse),
    cpuRatioToProxy: ratioToProxy(rounds, target, cpuPerRequest),
  }));
}

/** The billing phase: the gateway with billing off, then on, and on ÷ off per round. */
export function summarizeBilling(rounds: PhaseRounds): BillingSummary[] {
  return BILLING_TARGETS.map((target) => ({
    target,
    requestsPerSecond: perRound(rounds, target, (m) => m.completed / (m.elapsedMs / 1_000)),
    cpuMicrosPerRequest: perRound(rounds, target, cpuPerRequest),
    coreUse: perRound(rounds, target, coreUse),
    cpuRatioToUnbilled: perRound(rounds, target, (measurement, round) => {
      const unbilled = rounds.unbilled[round];
      return unbilled === undefined
        ? Number.NaN
        : cpuPerRequest(measurement) / cpuPerRequest(unbilled);
    }),
  }));
}

export function summarizeStreams(
  rounds: PhaseRounds,
  targets: readonly TargetName[],
): StreamSummary[] {
  return targets.map((target) => ({
    target,
    cpuMicrosPerChunk: perRound(rounds, target, cpuPerChunk),
    chunksPerSecond: perRound(rounds, target, (m) => m.contentChunks / (m.elapsedMs / 1_000)),
    chunksPerStream: perRound(rounds, target, (m) => m.contentChunks / m.completed),
    coreUse: perRound(rounds, target, coreUse),
    cpuRatioToProxy: ratioToProxy(rounds, target, cpuPerChunk),
    cpuMicrosPerChunkOverProxy: perRound(rounds, target, (measurement, round) => {
      const proxy = rounds.proxy[round];
      return proxy === undefined ? Number.NaN : cpuPerChunk(measurement) - cpuPerChunk(proxy);
    }),
  }));
}

/** Median over rounds of (target − baseline of the same round) at a percentile of the samples. */
export function latencyOverMs(
  rounds: PhaseRounds,
  target: TargetName,
  baseline: TargetName,
  rank: number,
): number {
  return perRound(rounds, target, (measurement, round) => {
    const base = rounds[baseline][round];
    if (base === undefined) return Number.NaN;
    return percentile(measurement.samplesMs, rank) - percentile(base.samplesMs, rank);
  });
}

export function summarizeLatency(
  rounds: PhaseRounds,
  targets: readonly TargetName[],
): LatencySummary[] {
  return targets.map((target) => ({
    target,
    p50Ms: perRound(rounds, target, (m) => percentile(m.samplesMs, 50)),
    p99Ms: perRound(rounds, target, (m) => percentile(m.samplesMs, 99)),
    addedP50Ms: latencyOverMs(rounds, target, 'direct', 50),
    addedP99Ms: latencyOverMs(rounds, target, 'direct', 99),
    overProxyP50Ms: latencyOverMs(rounds, target, 'proxy', 50),
    overProxyP99Ms: latencyOverMs(rounds, target, 'proxy', 99),
    samples: rounds[target].reduce((sum, m) => sum + m.samplesMs.length, 0),
  }));
}

/** Median over rounds of (gateway − proxy) at a percentile: what Shepherd adds over the floor. */
export function gatewayOverProxyMs(rounds: PhaseRounds, rank: number): number {
  return latencyOverMs(rounds, 'gateway', 'proxy', rank);
}

/** Median over rounds of the highest resident set sampled during a target's window, bytes. */
export function medianPeakRssBytes(rounds: PhaseRounds, target: TargetName): number {
  return perRound(rounds, target, (m) => m.peakRssBytes ?? Number.NaN);
}

export interface FailoverSummary {
  baselineP50Ms: number;
  failoverP50Ms: number;
  failedAttemptP50Ms: number;
  /** Median over rounds of (failover p50 − baseline p50 − failed attempt p50): the walk's own cost. */
  addedP50Ms: number;
  /** The same at p99. */
  addedP99Ms: number;
  samples: number;
}

/**
 * What a failover adds beyond the failed attempt's own time: a request that fails over costs the
 * answer (baseline), plus the failed attempt (the failing upstream asked directly), plus this.
 */
export function summarizeFailover(rounds: PhaseRounds): FailoverSummary {
  const series = (measurement: PhaseMeasurement) => {
    if (measurement.failover === undefined) throw new Error('a failover round has no samples');
    return measurement.failover;
  };
  const p = (values: number[], rank: number) => percentile(values, rank);
  const added = (rank: number) =>
    perRound(rounds, 'gateway', (measurement) => {
      const { baselineMs, failoverMs, failedAttemptMs } = series(measurement);
      return p(failoverMs, rank) - p(baselineMs, rank) - p(failedAttemptMs, rank);
    });
  return {
    baselineP50Ms: perRound(rounds, 'gateway', (m) => p(series(m).baselineMs, 50)),
    failoverP50Ms: perRound(rounds, 'gateway', (m) => p(series(m).failoverMs, 50)),
    failedAttemptP50Ms: perRound(rounds, 'gateway', (m) => p(series(m).failedAttemptMs, 50)),
    addedP50Ms: added(50),
    addedP99Ms: added(99),
    samples: rounds.gateway.reduce((sum, m) => sum + series(m).failoverMs.length, 0),
  };
}
