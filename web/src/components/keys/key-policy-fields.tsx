import { currencySymbol } from '../../format/format-money.ts';
import { useLocale, useMessages } from '../../i18n/locale-context.tsx';
import { keysMessages } from '../../i18n/messages/keys-messages.ts';
import { useUser } from '../../session/session-context.tsx';
import { toDateInputValue } from './key-form-values.ts';
import { ModelPicker } from './model-picker.tsx';

/** A key's limits as the form holds them: text fields, empty for "no limit". */
export interface KeyPolicyValues {
  cap: string;
  models: string[];
  /** `YYYY-MM-DD` or empty. */
  expiry: string;
}

export const EMPTY_POLICY: KeyPolicyValues = { cap: '', models: [], expiry: '' };

/** Spend cap, model allow-list and expiry: the same fields when creating and editing a key. */
export function KeyPolicyFields({
  values,
  onChange,
  models,
  idPrefix,
}: {
  values: KeyPolicyValues;
  onChange(next: KeyPolicyValues): void;
  models: readonly string[];
  /** Keeps hint ids unique while the create form and the edit dialog are both on the page. */
  idPrefix: string;
}) {
  const t = useMessages(keysMessages);
  const { locale } = useLocale();
  const { currency } = useUser();
  return (
    <>
      <div className="form-row key-policy-row">
        <div className="key-field-group">
          <label className="key-field">
            {t('spendCap', { symbol: currencySymbol(currency, locale) })}
            <input
              type="text"
              inputMode="decimal"
              name="monthlySpendCap"
              autoComplete="off"
              placeholder={t('spendCapPlaceholder')}
              aria-describedby={`${idPrefix}-cap-hint`}
              value={values.cap}
              onChange={(event) => onChange({ ...values, cap: event.target.value })}
            />
          </label>
          <p id={`${idPrefix}-cap-hint`} className="hint">
            {t('spendCapHint')}
          </p>
        </div>
        <div className="key-field-group">
          <label className="key-field">
            {t('expiry')}
            <input
              type="date"
              name="expiresAt"
              min={toDateInputValue(new Date())}
              aria-describedby={`${idPrefix}-expiry-hint`}
              value={values.expiry}
              onChange={(event) => onChange({ ...values, expiry: event.target.value })}
            />
          </label>
          <p id={`${idPrefix}-expiry-hint`} className="hint">
            {t('expiryHint')}
          </p>
        </div>
      </div>
      <ModelPicker
        models={models}
        selected={values.models}
        onChange={(next) => onChange({ ...values, models: next })}
        hintId={`${idPrefix}-models-hint`}
      />
    </>
  );
}
