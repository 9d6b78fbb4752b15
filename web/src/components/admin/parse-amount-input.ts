/** Why typed money text was refused; each is a message key of the form showing it. */
export type AmountProblem = 'amountRequired' | 'amountInvalid' | 'amountTooPrecise' | 'amountZero';

export type ParsedAmount = { ok: true; text: string } | { ok: false; problem: AmountProblem };

/**
 * What an admin typed as an amount of won, as the API's decimal text. Thousands separators and a
 * currency sign are accepted because people paste formatted balances; the API stays the judge of
 * limits, this only catches what would otherwise come back as an English parser message.
 */
export function parseAmountInput(typed: string, options: { allowNegative: boolean }): ParsedAmount {
  const text = typed.replace(/[\s,_₩]/g, '').replace(/^\+/, '');
  if (text === '') return { ok: false, problem: 'amountRequired' };
  const sign = options.allowNegative ? '-?' : '';
  if (!new RegExp(`^${sign}\\d+(\\.\\d+)?$`).test(text)) {
    return { ok: false, problem: 'amountInvalid' };
  }
  const fraction = text.split('.')[1] ?? '';
  if (fraction.length > 6) return { ok: false, problem: 'amountTooPrecise' };
  if (/^-?[0.]+$/.test(text)) return { ok: false, problem: 'amountZero' };
  return { ok: true, text };
}
