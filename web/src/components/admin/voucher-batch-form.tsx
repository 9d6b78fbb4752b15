import { type FormEvent, useId, useState } from 'react';
import { type GeneratedBatch, generatedBatchSchema } from '../../api/admin-schemas.ts';
import { consoleApi } from '../../api/console-client.ts';
import { currencySymbol } from '../../format/format-money.ts';
import { formatCount } from '../../format/format-number.ts';
import { useLocale, useMessages } from '../../i18n/locale-context.tsx';
import { adminVouchersMessages } from '../../i18n/messages/admin-vouchers-messages.ts';
import { useUser } from '../../session/session-context.tsx';
import { ErrorBanner } from '../error-banner.tsx';
import { parseAmountInput } from './parse-amount-input.ts';

/** The API's limit on one batch (src/accounting/generate-voucher-batch.ts). */
export const MAX_BATCH_SIZE = 10_000;

/** `YYYY-MM-DD` of the browser's today, what a date input's `min` takes. */
function localToday(): string {
  const now = new Date();
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Generates a batch of voucher codes; hands the answer (with the codes) to the page. */
export function VoucherBatchForm({
  onGenerated,
}: {
  onGenerated(generated: GeneratedBatch): void;
}) {
  const t = useMessages(adminVouchersMessages);
  const { locale } = useLocale();
  const max = formatCount(MAX_BATCH_SIZE, locale);
  // Vouchers are worth an amount of the wallet currency, the same for every account.
  const { currency } = useUser();
  const [name, setName] = useState('');
  const [amount, setAmount] = useState('');
  const [count, setCount] = useState('10');
  const [expiry, setExpiry] = useState('');
  const [busy, setBusy] = useState(false);
  const [invalid, setInvalid] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const ids = useId();
  const today = localToday();

  const validate = (): { name: string; amount: string; count: number } | string => {
    if (name.trim() === '') return t('nameRequired');
    const parsed = parseAmountInput(amount, { allowNegative: false });
    if (!parsed.ok) return t(parsed.problem);
    const wanted = Number(count);
    if (!/^\d+$/.test(count.trim()) || wanted < 1 || wanted > MAX_BATCH_SIZE) {
      return t('countInvalid', { max });
    }
    if (expiry !== '' && expiry < today) return t('expiryPast');
    return { name: name.trim(), amount: parsed.text, count: wanted };
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const checked = validate();
    if (typeof checked === 'string') {
      setInvalid(checked);
      return;
    }
    setInvalid(null);
    setError(null);
    setBusy(true);
    try {
      // The end of the chosen day where the admin is: "expires after 31 May" means all of it.
      const expiresAt =
        expiry === '' ? undefined : new Date(`${expiry}T23:59:59.999`).toISOString();
      const generated = await consoleApi.post(
        '/admin/vouchers/batches',
        { ...checked, ...(expiresAt === undefined ? {} : { expiresAt }) },
        generatedBatchSchema,
      );
      setName('');
      setAmount('');
      setExpiry('');
      onGenerated(generated);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>{t('generateTitle')}</h2>
      <div className="admin-voucher-grid">
        <div className="admin-field">
          <label>
            {t('nameLabel')}
            <input
              name="name"
              maxLength={100}
              value={name}
              onChange={(event) => setName(event.target.value)}
              aria-describedby={`${ids}-name-hint`}
            />
          </label>
          <p className="hint" id={`${ids}-name-hint`}>
            {t('nameHint')}
          </p>
        </div>
        <div className="admin-field">
          <label>
            {t('amountLabel', { currency: currencySymbol(currency, locale) })}
            <input
              name="amount"
              inputMode="decimal"
              autoComplete="off"
              value={amount}
              onChange={(event) => setAmount(event.target.value)}
            />
          </label>
        </div>
        <div className="admin-field">
          <label>
            {t('countLabel')}
            <input
              name="count"
              type="number"
              min={1}
              max={MAX_BATCH_SIZE}
              step={1}
              value={count}
              onChange={(event) => setCount(event.target.value)}
              aria-describedby={`${ids}-count-hint`}
            />
          </label>
          <p className="hint" id={`${ids}-count-hint`}>
            {t('countHint', { max })}
          </p>
        </div>
        <div className="admin-field">
          <label>
            {t('expiryLabel')}
            <input
              name="expiry"
              type="date"
              min={today}
              value={expiry}
              onChange={(event) => setExpiry(event.target.value)}
              aria-describedby={`${ids}-expiry-hint`}
            />
          </label>
          <p className="hint" id={`${ids}-expiry-hint`}>
            {t('expiryHint')}
          </p>
        </div>
      </div>
      {invalid === null ? null : (
        <p className="banner banner-error" role="alert">
          {invalid}
        </p>
      )}
      <ErrorBanner error={error} />
      <button type="submit" disabled={busy}>
        {busy ? t('generating') : t('generate')}
      </button>
    </form>
  );
}
