import { microsToDecimalText } from '../../accounting/micros-to-decimal-text.ts';
import type { ApiKeyPolicy } from '../../storage/ledger-store.ts';

/** A key's policy as the admin API shows it; money as decimal strings. */
export function encodeKeyPolicy(keyId: string, policy: ApiKeyPolicy) {
  const cap = policy.monthlySpendCapMicros;
  return {
    id: keyId,
    monthlySpendCap: cap === null ? null : microsToDecimalText(cap),
    monthlySpendCapMicros: cap === null ? null : cap.toString(),
    allowedModels: policy.allowedModels,
    expiresAt: policy.expiresAt?.toISOString() ?? null,
  };
}
