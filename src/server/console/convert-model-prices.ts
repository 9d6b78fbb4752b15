import { microsToDecimalText } from '../../accounting/micros-to-decimal-text.ts';
import { parseScaledDecimal } from '../../accounting/parse-scaled-decimal.ts';
import type { ModelPricing } from '../../config/config-schema.ts';

const MICROS = 1_000_000n;

type PriceKind = keyof ModelPricing;
const PRICE_KINDS: readonly PriceKind[] = [
  'input',
  'cachedInput',
  'cacheWrite',
  'cacheWrite1h',
  'output',
];

/**
 * USD list price per 1M tokens and its wallet-currency equivalent at `billing.exchangeRate`,
 * rounded half up to the micro-unit (what the ledger charges is computed per request, exactly).
 */
export function convertPrices(pricing: ModelPricing, exchangeRate: string) {
  const rateMicros = parseScaledDecimal(exchangeRate);
  const usd: Partial<Record<PriceKind, string>> = {};
  const wallet: Partial<Record<PriceKind, string>> = {};
  for (const kind of PRICE_KINDS) {
    const price = pricing[kind];
    if (price === undefined) continue;
    const usdMicros = parseScaledDecimal(price);
    usd[kind] = microsToDecimalText(usdMicros);
    wallet[kind] = microsToDecimalText((usdMicros * rateMicros + MICROS / 2n) / MICROS);
  }
  return { usdPerMillionTokens: usd, walletPerMillionTokens: wallet };
}
