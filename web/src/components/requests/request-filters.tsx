import { useId } from 'react';
import type { KeyChoice } from '../../api/requests-schemas.ts';
import { useMessages } from '../../i18n/locale-context.tsx';
import { requestsMessages } from '../../i18n/messages/requests-messages.ts';
import { keyText } from './request-labels.ts';

export interface RequestFilterValues {
  /** Empty: every model. */
  model: string;
  /** Empty: every key. */
  keyId: string;
}

/** Model and key selects plus a refresh button; choices come from `/models` and `/keys`. */
export function RequestFilters({
  values,
  models,
  keys,
  onChange,
  onRefresh,
}: {
  values: RequestFilterValues;
  models: readonly string[];
  keys: readonly KeyChoice[];
  onChange(values: RequestFilterValues): void;
  onRefresh(): void;
}) {
  const t = useMessages(requestsMessages);
  const modelId = useId();
  const keyId = useId();
  // A filter from the address bar that names nothing listed still shows as selected.
  const modelChoices =
    values.model !== '' && !models.includes(values.model) ? [values.model, ...models] : models;
  return (
    <div className="form-row request-filters">
      {/* A label beside (not around) the select: around it, the options' text would join its name. */}
      <div className="filter-field">
        <label htmlFor={modelId}>{t('filterModel')}</label>
        <select
          id={modelId}
          value={values.model}
          onChange={(event) => onChange({ ...values, model: event.target.value })}
        >
          <option value="">{t('allModels')}</option>
          {modelChoices.map((model) => (
            <option key={model} value={model}>
              {model}
            </option>
          ))}
        </select>
      </div>
      <div className="filter-field">
        <label htmlFor={keyId}>{t('filterKey')}</label>
        <select
          id={keyId}
          value={values.keyId}
          onChange={(event) => onChange({ ...values, keyId: event.target.value })}
        >
          <option value="">{t('allKeys')}</option>
          {keys.map((key) => (
            <option key={key.id} value={key.id}>
              {key.status === 'active'
                ? keyText(key)
                : `${keyText(key)} · ${key.status === 'expired' ? t('expiredKey') : t('revokedKey')}`}
            </option>
          ))}
        </select>
      </div>
      <button type="button" className="button-secondary" onClick={onRefresh}>
        {t('refresh')}
      </button>
    </div>
  );
}
