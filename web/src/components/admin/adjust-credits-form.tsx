import { type FormEvent, useId, useState } from 'react';
import { type AdjustmentResult, adjustmentResultSchema } from '../../api/admin-schemas.ts';
import { ConsoleApiError } from '../../api/console-api-error.ts';
import { consoleApi } from '../../api/console-client.ts';
import { currencySymbol, formatMoney } from '../../format/format-money.ts';
import { useLocale, useMessages } from '../../i18n/locale-context.tsx';
import { adminAccountsMessages } from '../../i18n/messages/admin-accounts-messages.ts';
import { ErrorBanner } from '../error-banner.tsx';
import { parseAmountInput } from './parse-amount-input.ts';

type Feedback =
  | { kind: 'none' }
  | { kind: 'invalid'; message: string }
  | { kind: 'insufficient' }
  | { kind: 'failed'; error: unknown }
  | { kind: 'done'; result: AdjustmentResult };

const REFERENCE_PATTERN = /^[\x21-\x7e]+$/;

/** Credits or debits one account with a reason; shows the balance the ledger ended with. */
export function AdjustCreditsForm(props: {
  account: { id: string; name: string; available: string; currency: string };
  onAdjusted(): void;
}) {
  const t = useMessages(adminAccountsMessages);
  const { locale } = useLocale();
  const { account } = props;
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [reference, setReference] = useState('');
  const [busy, setBusy] = useState(false);
  const [feedback, setFeedback] = useState<Feedback>({ kind: 'none' });
  const ids = useId();
  const money = (value: string) => formatMoney(value, account.currency, locale);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const parsed = parseAmountInput(amount, { allowNegative: true });
    if (!parsed.ok) return setFeedback({ kind: 'invalid', message: t(parsed.problem) });
    if (reason.trim() === '') return setFeedback({ kind: 'invalid', message: t('reasonRequired') });
    const trimmedReference = reference.trim();
    if (trimmedReference !== '' && !REFERENCE_PATTERN.test(trimmedReference)) {
      return setFeedback({ kind: 'invalid', message: t('referenceInvalid') });
    }
    setBusy(true);
    try {
      const result = await consoleApi.post(
        `/admin/accounts/${encodeURIComponent(account.id)}/adjustments`,
        {
          amount: parsed.text,
          reason: reason.trim(),
          ...(trimmedReference === '' ? {} : { reference: trimmedReference }),
        },
        adjustmentResultSchema,
      );
      setFeedback({ kind: 'done', result });
      setAmount('');
      setReason('');
      setReference('');
      props.onAdjusted();
    } catch (error) {
      setFeedback(
        error instanceof ConsoleApiError && error.code === 'insufficient_balance'
          ? { kind: 'insufficient' }
          : { kind: 'failed', error },
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="admin-adjust-form"
      onSubmit={submit}
      noValidate
      aria-labelledby={`${ids}-title`}
    >
      <h3 id={`${ids}-title`}>{t('adjustTitle', { name: account.name })}</h3>
      <div className="admin-adjust-grid">
        <div className="admin-field">
          <label>
            {t('amountLabel', { currency: currencySymbol(account.currency, locale) })}
            <input
              name="amount"
              inputMode="decimal"
              autoComplete="off"
              value={amount}
              onChange={(event) => setAmount(event.target.value)}
              aria-describedby={`${ids}-amount-hint`}
            />
          </label>
          <p className="hint" id={`${ids}-amount-hint`}>
            {t('amountHint')}
          </p>
        </div>
        <div className="admin-field">
          <label>
            {t('reasonLabel')}
            <input
              name="reason"
              maxLength={500}
              value={reason}
              onChange={(event) => setReason(event.target.value)}
              aria-describedby={`${ids}-reason-hint`}
            />
          </label>
          <p className="hint" id={`${ids}-reason-hint`}>
            {t('reasonHint')}
          </p>
        </div>
        <div className="admin-field">
          <label>
            {t('referenceLabel')}
            <input
              name="reference"
              maxLength={200}
              autoComplete="off"
              value={reference}
              onChange={(event) => setReference(event.target.value)}
              aria-describedby={`${ids}-reference-hint`}
            />
          </label>
          <p className="hint" id={`${ids}-reference-hint`}>
            {t('referenceHint')}
          </p>
        </div>
        <button type="submit" disabled={busy}>
          {busy ? t('applying') : t('apply')}
        </button>
      </div>
      {feedback.kind === 'invalid' ? (
        <p className="banner banner-error" role="alert">
          {feedback.message}
        </p>
      ) : null}
      {feedback.kind === 'insufficient' ? (
        <p className="banner banner-error" role="alert">
          {t('insufficient', { balance: money(account.available) })}
        </p>
      ) : null}
      {feedback.kind === 'failed' ? <ErrorBanner error={feedback.error} /> : null}
      {feedback.kind === 'done' ? (
        <p className="banner banner-success" role="status" data-testid="adjustment-result">
          {feedback.result.duplicate
            ? t('duplicate', { balance: money(feedback.result.balance.available) })
            : t('adjusted', {
                amount: money(feedback.result.amount),
                balance: money(feedback.result.balance.available),
              })}
        </p>
      ) : null}
    </form>
  );
}
