import { z } from 'zod';
import { balanceSchema, decimalText, microsText } from './console-schemas.ts';

export const todaySchema = z.object({
  date: z.string(),
  currency: z.string(),
  spent: decimalText,
  spentMicros: microsText,
  balance: balanceSchema,
  at: z.string(),
});
export type Today = z.output<typeof todaySchema>;
