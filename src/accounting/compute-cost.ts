import type { Usage } from '../canonical/usage.ts';
import type { ModelPricing } from '../config/config-schema.ts';
import { parseScaledDecimal } from './parse-scaled-decimal.ts';

/**
 * Prices (USD per 1M tokens) and the exchange rate are scaled by 10^6 to integers, so
 * `tokens × price × rate` in micro-units is `tokens × priceScaled × rateScaled / 10^12`
 * (10^6 price scale × 10^6 tokens per price unit × 10^6 rate scale ÷ 10^6 micro-units per unit).
 */
export const COST_DENOMINATOR = 10n ** 12n;

/** The token kinds a provider bills at distinct rates. */
export type CostKind = 'input' | 'cachedInput' | 'cacheWrite' | 'cacheWrite1h' | 'output';

export interface CostLine {
  kind: CostKind;
  tokens: number;
  /** The list price applied, after fallbacks (a cache read without its own price is plain input). */
  priceUsdPerMillion: string;
  /** The exact cost of this kind in micro-units is `numerator / COST_DENOMINATOR`. */
  numerator: bigint;
}

export interface CostBreakdown {
  /** One line per kind, in `CostKind` order, zero-token kinds included. */
  lines: CostLine[];
  /** Σ of the lines' numerators: the exact cost is `numerator / COST_DENOMINATOR` micro-units. */
  numerator: bigint;
  /** The charge: the exact cost rounded up once to a whole micro-unit (I12). */
  costMicros: bigint;
}

export interface ComputeCostInput {
  usage: Usage;
  pricing: ModelPricing;
  /** Wallet currency units per USD, as decimal text (`billing.exchangeRate`). */
  exchangeRate: string;
}

/**
 * The cost of one request (one attempt) in wallet micro-units, from the provider's usage:
 * uncached input at `input`; cache reads at `cachedInput`; cache writes at `cacheWrite` (5-minute)
 * and `cacheWrite1h`; output, reasoning included, at `output`. Missing cache prices fall back to
 * the price the provider charges without that discount or surcharge: `cachedInput` and
 * `cacheWrite` to `input`, `cacheWrite1h` to `cacheWrite`, then `input`.
 *
 * Exact rational arithmetic, rounded up once per request (ledger.md I12), so Σ charged over many
 * requests equals Σ of their rounded costs and no request is ever charged below its exact cost.
 */
export function computeCostMicros({ usage, pricing, exchangeRate }: ComputeCostInput): bigint {
  // One pass, no per-kind objects: this runs twice per billed request (hold and charge).
  // `computeCostBreakdown` is the same sum written out kind by kind; a property test holds the
  // two equal. Σ tokens × price, times the rate once, is the breakdown's Σ (tokens × price × rate).
  const rate = scaledRateOf(exchangeRate);
  const tokens = tokensByKind(usage);
  const prices = scaledPricesOf(pricing);
  let sum = 0n;
  if (tokens.input > 0) sum += BigInt(tokens.input) * prices.input;
  if (tokens.cachedInput > 0) sum += BigInt(tokens.cachedInput) * prices.cachedInput;
  if (tokens.cacheWrite > 0) sum += BigInt(tokens.cacheWrite) * prices.cacheWrite;
  if (tokens.cacheWrite1h > 0) sum += BigInt(tokens.cacheWrite1h) * prices.cacheWrite1h;
  if (tokens.output > 0) sum += BigInt(tokens.output) * prices.output;
  return ceilDivide(sum * rate, COST_DENOMINATOR);
}

/** `computeCostMicros` with the per-kind parts, for usage reports and explanations. */
export function computeCostBreakdown({
  usage,
  pricing,
  exchangeRate,
}: ComputeCostInput): CostBreakdown {
  const rate = scaledRateOf(exchangeRate);
  const tokens = tokensByKind(usage);
  const prices = appliedPrices(pricing);
  const parts: Array<[CostKind, number, string]> = COST_KINDS.map((kind) => [
    kind,
    tokens[kind],
    prices[kind],
  ]);
  let numerator = 0n;
  const lines = parts.map(([kind, tokens, price]): CostLine => {
    const scaledPrice = scaledPriceOf(kind, price);
    const line = {
      kind,
      tokens,
      priceUsdPerMillion: price,
      numerator: BigInt(tokens) * scaledPrice * rate,
    };
    numerator += line.numerator;
    return line;
  });
  return { lines, numerator, costMicros: ceilDivide(numerator, COST_DENOMINATOR) };
}

/** Config prices and rates are a handful of strings: parse each once, not once per request. */
const scaledDecimals = new Map<string, bigint>();
const SCALED_DECIMAL_CACHE_LIMIT = 1_024;

function scaledDecimalOf(text: string): bigint {
  let scaled = scaledDecimals.get(text);
  if (scaled === undefined) {
    scaled = parseScaledDecimal(text);
    if (scaledDecimals.size < SCALED_DECIMAL_CACHE_LIMIT) scaledDecimals.set(text, scaled);
  }
  return scaled;
}

function scaledRateOf(exchangeRate: string): bigint {
  const rate = scaledDecimalOf(exchangeRate);
  if (rate < 0n) throw new RangeError(`the exchange rate must not be negative: ${exchangeRate}`);
  return rate;
}

function scaledPriceOf(kind: CostKind, price: string): bigint {
  const scaled = scaledDecimalOf(price);
  if (scaled < 0n) throw new RangeError(`the ${kind} price must not be negative: ${price}`);
  return scaled;
}

/** A model's prices per kind after the fallbacks, scaled: what `computeCostMicros` multiplies. */
interface ScaledPrices {
  /** The texts the prices were parsed from: a pricing object changed since is parsed again. */
  texts: readonly (string | undefined)[];
  input: bigint;
  cachedInput: bigint;
  cacheWrite: bigint;
  cacheWrite1h: bigint;
  output: bigint;
}

/** Keyed by the catalogue's own pricing objects, which live as long as the config. */
const scaledPrices = new WeakMap<ModelPricing, ScaledPrices>();

function scaledPricesOf(pricing: ModelPricing): ScaledPrices {
  const cached = scaledPrices.get(pricing);
  if (cached !== undefined && sameTexts(cached.texts, pricing)) return cached;
  const applied = appliedPrices(pricing);
  // Checked in the breakdown's order, so a bad price fails with the same error.
  const prices: ScaledPrices = {
    texts: pricingTexts(pricing),
    input: scaledPriceOf('input', applied.input),
    cachedInput: scaledPriceOf('cachedInput', applied.cachedInput),
    cacheWrite: scaledPriceOf('cacheWrite', applied.cacheWrite),
    cacheWrite1h: scaledPriceOf('cacheWrite1h', applied.cacheWrite1h),
    output: scaledPriceOf('output', applied.output),
  };
  scaledPrices.set(pricing, prices);
  return prices;
}

function pricingTexts(pricing: ModelPricing): (string | undefined)[] {
  return [
    pricing.input,
    pricing.cachedInput,
    pricing.cacheWrite,
    pricing.cacheWrite1h,
    pricing.output,
  ];
}

function sameTexts(texts: readonly (string | undefined)[], pricing: ModelPricing): boolean {
  return (
    texts[0] === pricing.input &&
    texts[1] === pricing.cachedInput &&
    texts[2] === pricing.cacheWrite &&
    texts[3] === pricing.cacheWrite1h &&
    texts[4] === pricing.output
  );
}

const COST_KINDS: readonly CostKind[] = [
  'input',
  'cachedInput',
  'cacheWrite',
  'cacheWrite1h',
  'output',
];

/**
 * The tokens billed at each kind's rate: plain input is what is left of the input after cache
 * reads and writes (never below 0), 1-hour writes are the part of the writes with that TTL (never
 * more than the writes). Throws a RangeError for a count that is not a non-negative safe integer.
 */
function tokensByKind(usage: Usage): Record<CostKind, number> {
  const input = tokenCount(usage.inputTokens, 'inputTokens');
  const cached = tokenCount(usage.cachedInputTokens, 'cachedInputTokens');
  const written = tokenCount(usage.cacheWriteTokens, 'cacheWriteTokens');
  const written1h = Math.min(tokenCount(usage.cacheWrite1hTokens, 'cacheWrite1hTokens'), written);
  return {
    input: Math.max(0, input - cached - written),
    cachedInput: cached,
    cacheWrite: written - written1h,
    cacheWrite1h: written1h,
    output: tokenCount(usage.outputTokens, 'outputTokens'),
  };
}

/** Each kind's list price after the fallbacks (see `computeCostMicros`), as configured text. */
function appliedPrices(pricing: ModelPricing): Record<CostKind, string> {
  const cacheWrite = pricing.cacheWrite ?? pricing.input;
  return {
    input: pricing.input,
    cachedInput: pricing.cachedInput ?? pricing.input,
    cacheWrite,
    cacheWrite1h: pricing.cacheWrite1h ?? cacheWrite,
    output: pricing.output,
  };
}

function tokenCount(value: number, field: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`usage.${field} must be a non-negative integer, got ${value}`);
  }
  return value;
}

function ceilDivide(numerator: bigint, denominator: bigint): bigint {
  return (numerator + denominator - 1n) / denominator;
}
