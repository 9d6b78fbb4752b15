import { billablePricing } from '../accounting/billable-pricing.ts';
import { computeCostMicros } from '../accounting/compute-cost.ts';
import { computeHoldMicros } from '../accounting/compute-hold.ts';
import { capCostAtHold } from '../accounting/estimate-partial-usage.ts';
import { formatMicros } from '../accounting/format-micros.ts';
import type { ChatRequest } from '../canonical/chat-request.ts';
import { addUsage, type Usage } from '../canonical/usage.ts';
import type { GatewayConfig, ModelEntry } from '../config/config-schema.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import type { FinishedRequest, GatewayMetrics } from '../metrics/gateway-metrics.ts';
import type { AttemptRecord } from '../routing/attempt-record.ts';
import type { LedgerStore, UsageRecordInput } from '../storage/ledger-store.ts';
import type { PipelineClock, RequestContext } from './request-context.ts';
import { type RequestTimings, summarizeTimings } from './request-timings.ts';
import { settleWithRetries } from './settle-with-retries.ts';

export interface BillingDependencies {
  ledger: LedgerStore;
  billing: GatewayConfig['billing'];
  clock: PipelineClock;
  /** This gateway instance, recorded on each hold (crash recovery). */
  instanceId: string;
  /** Told about every settled request and every hold (Prometheus); absent in some tests. */
  metrics?: GatewayMetrics;
}

export interface SettleOutcome {
  status: UsageRecordInput['status'];
  errorCode: string | null;
  /**
   * The usage to bill for the attempt that served (or the last one): provider-reported, or an
   * estimate (then `estimated`). Failed attempts the provider billed are added to it
   * (`billFailedAttempt`).
   */
  usage: Usage;
  estimated: boolean;
  servedModel: ModelEntry;
  provider: string;
  upstreamModel: string;
  chunks: number;
  timings: RequestTimings;
  /** Every upstream attempt, failed ones first (recorded on the usage row). */
  attempts: readonly AttemptRecord[];
}

export interface Charge {
  costMicros: bigint;
  balanceMicros: bigint;
  currency: string;
}

export interface BillingSession {
  readonly holdMicros: bigint;
  readonly promptTokensEstimate: number;
  /** Holds the worst-case cost; throws 402 / 403 when it does not fit. */
  reserve(): Promise<void>;
  /**
   * Adds to the request's charge an attempt that failed (or was left by the client) before its
   * answer began, after its provider had reported usage: providers bill such attempts (Anthropic
   * counts the prompt in `message_start`), so the request pays them once, each at its own model's
   * price (ledger.md I11, test plan D11). Call before `settle`.
   */
  billFailedAttempt(attempt: AttemptRecord, model: ModelEntry, usage: Usage): void;
  /**
   * Charges the request and writes its usage row, exactly once; later calls return the first
   * result. Undefined when billing is disabled. The row's tokens and cost include every attempt
   * billed with `billFailedAttempt` (its chain records each one's usage and cost).
   */
  settle(outcome: SettleOutcome): Promise<Charge | undefined>;
}

/** Money for one request: reserve before the upstream call, settle once afterwards (ledger.md). */
export function createBillingSession(options: {
  dependencies: BillingDependencies;
  context: RequestContext;
  request: ChatRequest;
  /** The requested model, then the fallback models that may serve: the hold covers the dearest. */
  models: readonly ModelEntry[];
}): BillingSession {
  const { dependencies, context, models } = options;
  const { ledger, billing, clock, metrics } = dependencies;
  // The request itself is read here and not kept: a session lives as long as its stream, and the
  // request holds the whole prompt (docs/benchmarks.md, memory per open stream).
  const requestedModel = options.request.model;
  // The resolved id, not the client's spelling: metric labels must not grow with case variants.
  const requestedModelId = models[0]?.id ?? requestedModel;
  if (!billing.enabled) return unbilledSession(dependencies, requestedModelId);
  const { model, hold } = dearestHold(options.request, models, billing);
  let settlement: Promise<Charge> | undefined;
  /** Failed attempts the provider billed; rare (none on nearly every request). */
  let failedAttempts:
    | Array<{ attempt: AttemptRecord; model: ModelEntry; usage: Usage }>
    | undefined;

  return {
    holdMicros: hold.holdMicros,
    promptTokensEstimate: hold.promptTokens,
    async reserve() {
      const { identity } = context;
      const result = await ledger
        .reserveCredit({
          requestId: context.requestId,
          accountId: identity.accountId,
          keyId: identity.keyId,
          amountMicros: hold.holdMicros,
          expiresAt: new Date(clock.now().getTime() + billing.holdTtlSeconds * 1000),
          owner: dependencies.instanceId,
          ...(identity.monthlySpendCapMicros === null
            ? {}
            : {
                keyMonthlyCap: {
                  capMicros: identity.monthlySpendCapMicros,
                  periodStart: startOfUtcMonth(clock.now()),
                },
              }),
        })
        .catch(refuseWithoutHold);
      if (result.status === 'reserved') {
        metrics?.holdOpened();
        return;
      }
      if (result.status === 'insufficient_balance') {
        throw new GatewayError(
          'GW_ERR_INSUFFICIENT_BALANCE',
          `Insufficient balance: your available credit is ${formatMicros(result.balance.availableMicros, billing.currency)}, but this request needs up to ${formatMicros(hold.holdMicros, billing.currency)} held (about ${hold.promptTokens} prompt tokens and up to ${hold.outputTokens} output tokens of ${model.id}). Top up your credit, or lower max_tokens.`,
        );
      }
      if (result.status === 'key_cap_exceeded') {
        throw new GatewayError(
          'GW_ERR_KEY_SPEND_CAP_EXCEEDED',
          `This API key's monthly spend cap of ${formatMicros(result.capMicros, billing.currency)} would be exceeded (spent or held this month: ${formatMicros(result.spentMicros, billing.currency)}; this request needs up to ${formatMicros(hold.holdMicros, billing.currency)}). Raise the cap or use another key.`,
        );
      }
      throw new GatewayError('GW_ERR_INTERNAL', 'This request id was already used.');
    },
    billFailedAttempt(attempt, attemptModel, usage) {
      failedAttempts ??= [];
      failedAttempts.push({ attempt, model: attemptModel, usage });
    },
    settle(outcome) {
      settlement ??= settleOnce(outcome);
      return settlement;
    },
  };

  /**
   * Fail closed: without a durable hold nothing is sent upstream (test plan §6). Called from the
   * reserve's own `catch` rather than wrapping it in an async function: no extra promise and turn
   * per request.
   */
  function refuseWithoutHold(error: unknown): never {
    throw new GatewayError(
      'GW_ERR_STORAGE_UNAVAILABLE',
      "The gateway's database is unavailable, so no credit could be held for this request; nothing was sent to the provider. Try again shortly.",
      { cause: error, retryAfterSeconds: 1 },
    );
  }

  /** The failed attempts' usage and cost added to the serving attempt's (recorded on each attempt). */
  function withFailedAttempts(
    usage: Usage,
    costMicros: bigint,
  ): { usage: Usage; costMicros: bigint } {
    if (failedAttempts === undefined) return { usage, costMicros };
    let total = { usage, costMicros };
    for (const failed of failedAttempts) {
      const pricing = billablePricing(failed.model);
      const cost =
        pricing === undefined
          ? 0n
          : computeCostMicros({ usage: failed.usage, pricing, exchangeRate: billing.exchangeRate });
      failed.attempt.billedUsage = failed.usage;
      failed.attempt.costMicros = cost.toString();
      total = { usage: addUsage(total.usage, failed.usage), costMicros: total.costMicros + cost };
    }
    return total;
  }

  async function settleOnce(outcome: SettleOutcome): Promise<Charge> {
    outcome.timings.endedAt ??= clock.monotonicMs();
    try {
      return await chargeAndRecord(outcome);
    } finally {
      metrics?.holdClosed();
    }
  }

  async function chargeAndRecord(outcome: SettleOutcome): Promise<Charge> {
    const pricing = billablePricing(outcome.servedModel);
    let servedCostMicros =
      pricing === undefined
        ? 0n
        : computeCostMicros({ usage: outcome.usage, pricing, exchangeRate: billing.exchangeRate });
    // An estimate never exceeds the hold; a provider-reported cost is charged in full (I4).
    if (outcome.estimated) servedCostMicros = capCostAtHold(servedCostMicros, hold.holdMicros);
    const { usage, costMicros } = withFailedAttempts(outcome.usage, servedCostMicros);
    const timing = summarizeTimings(outcome.timings, outcome.usage.outputTokens);
    // Every field written out rather than spread: one object shape per row, built in one go.
    const input: Parameters<LedgerStore['settleUsage']>[0] = {
      usage: {
        requestId: context.requestId,
        accountId: context.identity.accountId,
        keyId: context.identity.keyId,
        requestedModel,
        servedModel: outcome.servedModel.id,
        provider: outcome.provider,
        upstreamModel: outcome.upstreamModel,
        status: outcome.status,
        errorCode: outcome.errorCode,
        inputTokens: usage.inputTokens,
        cachedInputTokens: usage.cachedInputTokens,
        cacheWriteTokens: usage.cacheWriteTokens,
        cacheWrite1hTokens: usage.cacheWrite1hTokens,
        outputTokens: usage.outputTokens,
        reasoningTokens: usage.reasoningTokens,
        costMicros,
        currency: billing.currency,
        exchangeRate: billing.exchangeRate,
        estimated: outcome.estimated,
        timeToFirstTokenMs: timing.timeToFirstTokenMs,
        timeToFirstReasoningMs: timing.timeToFirstReasoningMs,
        timeToFirstContentMs: timing.timeToFirstContentMs,
        upstreamTimeToFirstByteMs: timing.upstreamTimeToFirstByteMs,
        totalMs: timing.totalMs,
        tokensPerSecond: timing.tokensPerSecond,
        chunks: outcome.chunks,
        gatewayOverheadMs: timing.gatewayOverheadMs,
        attempts: JSON.stringify(outcome.attempts),
        createdAt: clock.now(),
      },
    };
    const result = await settleWithRetries(() => ledger.settleUsage(input));
    metrics?.requestFinished(finishedRequest(requestedModelId, outcome, usage, costMicros, timing));
    return {
      costMicros,
      balanceMicros: result.balance.availableMicros,
      currency: billing.currency,
    };
  }
}

/** The model among `models` whose worst case for `request` is dearest, and that hold. */
function dearestHold(
  request: ChatRequest,
  models: readonly ModelEntry[],
  billing: BillingDependencies['billing'],
): { model: ModelEntry; hold: ReturnType<typeof computeHoldMicros> } {
  let dearest: { model: ModelEntry; hold: ReturnType<typeof computeHoldMicros> } | undefined;
  for (const candidate of models) {
    const candidateHold = computeHoldMicros({
      request,
      model: candidate,
      exchangeRate: billing.exchangeRate,
      defaultHoldOutputTokens: billing.defaultHoldOutputTokens,
    });
    if (dearest === undefined || candidateHold.holdMicros > dearest.hold.holdMicros) {
      dearest = { model: candidate, hold: candidateHold };
    }
  }
  if (dearest === undefined) {
    throw new GatewayError('GW_ERR_INTERNAL', 'A billing session needs at least one model.');
  }
  return dearest;
}

/** Billing off: nothing is held, charged or written; metrics still see every request. */
function unbilledSession(
  dependencies: BillingDependencies,
  requestedModelId: string,
): BillingSession {
  let settled = false;
  return {
    holdMicros: 0n,
    promptTokensEstimate: 0,
    reserve: async () => {},
    billFailedAttempt: () => {},
    async settle(outcome) {
      if (settled) return undefined;
      settled = true;
      const { metrics, clock } = dependencies;
      if (metrics !== undefined) {
        outcome.timings.endedAt ??= clock.monotonicMs();
        const timing = summarizeTimings(outcome.timings, outcome.usage.outputTokens);
        metrics.requestFinished(
          finishedRequest(requestedModelId, outcome, outcome.usage, 0n, timing),
        );
      }
      return undefined;
    },
  };
}

function finishedRequest(
  requestedModelId: string,
  outcome: SettleOutcome,
  usage: Usage,
  costMicros: bigint,
  timing: ReturnType<typeof summarizeTimings>,
): FinishedRequest {
  return {
    requestedModel: requestedModelId,
    servedModel: outcome.servedModel.id,
    provider: outcome.provider,
    status: outcome.status,
    errorCode: outcome.errorCode,
    usage,
    costMicros,
    timeToFirstTokenSeconds:
      timing.timeToFirstTokenMs === null ? null : timing.timeToFirstTokenMs / 1000,
    totalSeconds: timing.totalMs / 1000,
    timePerOutputTokenSeconds:
      timing.tokensPerSecond === null || timing.tokensPerSecond === 0
        ? null
        : 1 / timing.tokensPerSecond,
    attempts: outcome.attempts,
  };
}

function startOfUtcMonth(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
}
