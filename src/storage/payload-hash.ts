import { hash } from 'node:crypto';

/** SHA-256 (hex) of a credit's identity: replays must match it (I8). Fields are order-fixed. */
export function payloadHash(payload: {
  kind: string;
  accountId: string;
  amountMicros: bigint;
}): string {
  const canonical = JSON.stringify([
    payload.kind,
    payload.accountId,
    payload.amountMicros.toString(),
  ]);
  // One-shot: no Hash object per call (every settle hashes its usage transaction).
  return hash('sha256', canonical, 'hex');
}
