/**
 * The Models page's comparison: what N million output tokens a month (plus, optionally, R input
 * tokens per output token) would cost on each model. Money stays in exact integers: prices, the
 * exchange rate and the user's inputs are decimal text scaled to micro-units (10^6), and only the
 * final amounts are rounded, half up, to a micro-unit, as the ledger rounds a request's cost.
 */

const SCALE = 1_000_000n;
const DECIMAL = /^(\d+)(?:\.(\d{1,6}))?$/;

/** A plain non-negative decimal with at most 6 fractional digits, scaled by 10^6; null otherwise. */
export function parseMicros(text: string): bigint | null {
  const match = DECIMAL.exec(text.trim());
  if (match === null) return null;
  const [, whole = '', fraction = ''] = match;
  return BigInt(whole + fraction.padEnd(6, '0'));
}

/** Micro-units as decimal text in whole units, trailing zeros dropped: 12_500_000n → "12.5". */
export function microsToDecimalText(micros: bigint): string {
  const negative = micros < 0n;
  const magnitude = negative ? -micros : micros;
  const fraction = (magnitude % SCALE).toString().padStart(6, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${magnitude / SCALE}${fraction === '' ? '' : `.${fraction}`}`;
}

/** Rounds a non-negative `value / divisor` half up. */
function divideRoundingHalfUp(value: bigint, divisor: bigint): bigint {
  return (value + divisor / 2n) / divisor;
}

/** The largest monthly volume the form accepts, in millions of tokens (10^14 tokens). */
export const MAX_MILLIONS = 100_000_000n;
/** The largest input:output ratio the form accepts. */
export const MAX_RATIO = 1_000n;

export type VolumeProblem = 'notANumber' | 'tooLarge';

/** The form's text, checked: the amount in micro-units, or why it cannot be used. */
export function readVolume(
  text: string,
  maximum: bigint,
): { ok: true; micros: bigint } | { ok: false; problem: VolumeProblem } {
  const micros = parseMicros(text);
  if (micros === null) return { ok: false, problem: 'notANumber' };
  if (micros > maximum * SCALE) return { ok: false, problem: 'tooLarge' };
  return { ok: true, micros };
}

/** The prices of one model as `GET /models` gives them (USD per 1M tokens, decimal text). */
export interface PricedModel {
  id: string;
  free: boolean;
  usdInput: string | undefined;
  usdOutput: string | undefined;
}

export interface MonthlyCost {
  id: string;
  free: boolean;
  /** Null when the catalogue has no price for it (shown as unknown, sorted last). */
  usdMicros: bigint | null;
  walletMicros: bigint | null;
  /** This cost over the dearest one, in thousandths (0..1000), for the bar; 0 when unknown. */
  permille: number;
}

/**
 * Monthly cost per model for `outputMillionsMicros` million output tokens and
 * `inputPerOutputMicros` input tokens per output token (both scaled by 10^6), cheapest first
 * (ties by id, unknown prices last). Free models cost nothing, whatever their list price: the
 * gateway does not bill them.
 */
export function computeMonthlyCosts(input: {
  models: readonly PricedModel[];
  exchangeRate: string;
  outputMillionsMicros: bigint;
  inputPerOutputMicros: bigint;
}): MonthlyCost[] {
  const rateMicros = parseMicros(input.exchangeRate);
  const costs = input.models.map((model): Omit<MonthlyCost, 'permille'> => {
    if (model.free) return { id: model.id, free: true, usdMicros: 0n, walletMicros: 0n };
    const output = model.usdOutput === undefined ? null : parseMicros(model.usdOutput);
    const inputPrice = model.usdInput === undefined ? null : parseMicros(model.usdInput);
    const needsInput = input.inputPerOutputMicros > 0n;
    if (output === null || (needsInput && inputPrice === null)) {
      return { id: model.id, free: false, usdMicros: null, walletMicros: null };
    }
    // USD per 1M output tokens including the input that comes with them, scaled by 10^12.
    const perMillion = output * SCALE + input.inputPerOutputMicros * (inputPrice ?? 0n);
    // Times the volume (10^6): USD scaled by 10^18.
    const usdScaled = perMillion * input.outputMillionsMicros;
    return {
      id: model.id,
      free: false,
      usdMicros: divideRoundingHalfUp(usdScaled, SCALE * SCALE),
      walletMicros:
        rateMicros === null ? null : divideRoundingHalfUp(usdScaled * rateMicros, SCALE ** 3n),
    };
  });
  costs.sort((a, b) => {
    if (a.walletMicros === null || b.walletMicros === null) {
      if (a.walletMicros === b.walletMicros) return a.id.localeCompare(b.id);
      return a.walletMicros === null ? 1 : -1;
    }
    if (a.walletMicros !== b.walletMicros) return a.walletMicros < b.walletMicros ? -1 : 1;
    return a.id.localeCompare(b.id);
  });
  const dearest = costs.reduce(
    (maximum, cost) =>
      cost.walletMicros !== null && cost.walletMicros > maximum ? cost.walletMicros : maximum,
    0n,
  );
  return costs.map((cost) => ({
    ...cost,
    permille:
      cost.walletMicros === null || dearest === 0n
        ? 0
        : Number(divideRoundingHalfUp(cost.walletMicros * 1000n, dearest)),
  }));
}
