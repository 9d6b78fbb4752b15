import { type FormEvent, useState } from 'react';
import { consoleApi } from '../../api/console-client.ts';
import { type RedeemedVoucher, redeemedVoucherSchema } from '../../api/credits-schemas.ts';
import { formatMoney } from '../../format/format-money.ts';
import { useLocale, useMessages } from '../../i18n/locale-context.tsx';
import { creditsMessages } from '../../i18n/messages/credits-messages.ts';
import { ErrorBanner } from '../error-banner.tsx';

/** `POST /vouchers/redeem`; a refusal (malformed, unknown, used, expired) is said in words. */
export function RedeemVoucherForm({ onRedeemed }: { onRedeemed(result: RedeemedVoucher): void }) {
  const t = useMessages(creditsMessages);
  const { locale } = useLocale();
  const [code, setCode] = useState('');
  const [redeemed, setRedeemed] = useState<RedeemedVoucher | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [working, setWorking] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setRedeemed(null);
    setWorking(true);
    try {
      const result = await consoleApi.post(
        '/vouchers/redeem',
        { code: code.trim() },
        redeemedVoucherSchema,
      );
      setRedeemed(result);
      setCode('');
      onRedeemed(result);
    } catch (failure) {
      setError(failure);
    } finally {
      setWorking(false);
    }
  };

  return (
    <section className="card" aria-labelledby="redeem-title">
      <h2 id="redeem-title">{t('redeemTitle')}</h2>
      <form className="form-stack" onSubmit={onSubmit}>
        <div className="form-row">
          <label className="voucher-field">
            {t('voucherCode')}
            <input
              type="text"
              name="code"
              required
              maxLength={200}
              autoComplete="off"
              spellCheck={false}
              placeholder={t('voucherPlaceholder')}
              aria-describedby="voucher-hint"
              value={code}
              onChange={(event) => setCode(event.target.value)}
            />
          </label>
          <button type="submit" disabled={working}>
            {working ? t('redeeming') : t('redeem')}
          </button>
        </div>
        <p id="voucher-hint" className="hint">
          {t('voucherHint')}
        </p>
        {redeemed === null ? null : (
          <p className="banner banner-success" role="status" data-testid="voucher-redeemed">
            {t('redeemed', { amount: formatMoney(redeemed.amount, redeemed.currency, locale) })}
          </p>
        )}
        <ErrorBanner error={error} />
      </form>
    </section>
  );
}
