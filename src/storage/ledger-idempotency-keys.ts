/** The usage transaction's unique key: at most one charge per request (I5). */
export function usageIdempotencyKey(requestId: string): string {
  return `usage:${requestId}`;
}

/** Credits get their own namespace, so a caller's key can never collide with a usage key. */
export function creditIdempotencyKey(idempotencyKey: string): string {
  return `credit:${idempotencyKey}`;
}

/** A voucher code credits once, whoever redeems it. */
export function voucherIdempotencyKey(codeHash: string): string {
  return `voucher:${codeHash}`;
}
