import { z } from 'zod';

/** Money travels as decimal text in whole wallet units plus its integer micro-units. */
export const decimalText = z.string();
export const microsText = z.string().regex(/^-?\d+$/);

export const balanceSchema = z.object({
  currency: z.string(),
  posted: decimalText,
  postedMicros: microsText,
  held: decimalText,
  heldMicros: microsText,
  available: decimalText,
  availableMicros: microsText,
});
export type Balance = z.output<typeof balanceSchema>;

export const consoleUserSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: z.enum(['user', 'admin']),
  locale: z.string(),
  accountId: z.string(),
  currency: z.string(),
  balance: balanceSchema,
  signupBonus: z.object({ credited: z.boolean(), amount: decimalText, amountMicros: microsText }),
  createdAt: z.string(),
  lastLoginAt: z.string().nullable(),
});
export type ConsoleUser = z.output<typeof consoleUserSchema>;

export const sessionSchema = z.object({
  csrfToken: z.string(),
  expiresAt: z.string(),
  user: consoleUserSchema,
});
export type ConsoleSession = z.output<typeof sessionSchema>;

/** `GET /session`: who is signed in, if anyone (a visitor is not an error). */
export const sessionProbeSchema = z.union([
  z.object({ signedIn: z.literal(false), selfSignup: z.boolean() }),
  sessionSchema.extend({ signedIn: z.literal(true), selfSignup: z.boolean() }),
]);
