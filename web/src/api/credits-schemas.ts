import { z } from 'zod';
import { balanceSchema, decimalText, microsText } from './console-schemas.ts';

const creditItemSchema = z.object({
  type: z.literal('credit'),
  /** `top_up`, `signup_bonus`, `voucher`, `adjustment` or `refund` (kept open for new kinds). */
  kind: z.string(),
  transactionId: z.string(),
  amount: decimalText,
  amountMicros: microsText,
  reason: z.string().nullable(),
  at: z.string(),
});

const usageDaySchema = z.object({
  type: z.literal('usage'),
  /** `YYYY-MM-DD`, a UTC day. */
  date: z.string(),
  requests: z.number().int(),
  /** Negative: the day's charges. */
  amount: decimalText,
  amountMicros: microsText,
  at: z.string(),
});

export const creditHistoryItemSchema = z.discriminatedUnion('type', [
  creditItemSchema,
  usageDaySchema,
]);
export type CreditHistoryItem = z.output<typeof creditHistoryItemSchema>;

/** `GET /credits`: the balance and the newest-first money movements. */
export const creditsSchema = z.object({
  accountId: z.string(),
  balance: balanceSchema,
  history: z.array(creditHistoryItemSchema),
});
export type Credits = z.output<typeof creditsSchema>;

/** `POST /vouchers/redeem`. */
export const redeemedVoucherSchema = z.object({
  currency: z.string(),
  amount: decimalText,
  amountMicros: microsText,
  balance: balanceSchema,
});
export type RedeemedVoucher = z.output<typeof redeemedVoucherSchema>;
