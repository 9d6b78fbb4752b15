import { type FormEvent, useState } from 'react';
import { consoleApi } from '../../api/console-client.ts';
import { type ApiKey, type KeyPolicyPatch, keyPolicySchema } from '../../api/keys-schemas.ts';
import { useMessages } from '../../i18n/locale-context.tsx';
import { commonMessages } from '../../i18n/messages/common-messages.ts';
import { keysMessages } from '../../i18n/messages/keys-messages.ts';
import { ErrorBanner } from '../error-banner.tsx';
import {
  expiryDateToIso,
  expiryIsoToDateInput,
  isBeforeToday,
  parseCapInput,
} from './key-form-values.ts';
import { KeyPolicyFields, type KeyPolicyValues } from './key-policy-fields.tsx';
import { ModalDialog } from './modal-dialog.tsx';

function sameModels(first: readonly string[], second: readonly string[]): boolean {
  return first.length === second.length && first.every((model) => second.includes(model));
}

/**
 * Changes a key's cap, allow-list and expiry. Only the fields the user touched are sent, so saving
 * an untouched expiry never moves it to the end of its local day.
 */
export function EditKeyDialog({
  apiKey,
  models,
  onClose,
  onSaved,
}: {
  apiKey: ApiKey;
  models: readonly string[];
  onClose(): void;
  onSaved(key: ApiKey): void;
}) {
  const t = useMessages(keysMessages);
  const common = useMessages(commonMessages);
  const [initial] = useState<KeyPolicyValues>(() => ({
    cap: apiKey.monthlySpendCap ?? '',
    models: apiKey.allowedModels ?? [],
    expiry: expiryIsoToDateInput(apiKey.expiresAt),
  }));
  const [values, setValues] = useState(initial);
  const [invalid, setInvalid] = useState<'capInvalid' | 'expiryPast' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [working, setWorking] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const patch: KeyPolicyPatch = {};
    if (values.cap.trim() !== initial.cap) {
      const cap = parseCapInput(values.cap);
      if (cap === undefined) {
        setInvalid('capInvalid');
        return;
      }
      patch.monthlySpendCap = cap;
    }
    if (values.expiry !== initial.expiry) {
      if (values.expiry !== '' && isBeforeToday(values.expiry)) {
        setInvalid('expiryPast');
        return;
      }
      patch.expiresAt = values.expiry === '' ? null : expiryDateToIso(values.expiry);
    }
    if (!sameModels(values.models, initial.models)) {
      patch.allowedModels = values.models.length === 0 ? null : values.models;
    }
    setInvalid(null);
    if (Object.keys(patch).length === 0) {
      onClose();
      return;
    }
    setWorking(true);
    try {
      await consoleApi.patch(`/keys/${encodeURIComponent(apiKey.id)}`, patch, keyPolicySchema);
      onSaved(apiKey);
    } catch (failure) {
      setError(failure);
      setWorking(false);
    }
  };

  return (
    <ModalDialog titleId="edit-key-title" onClose={onClose}>
      <form className="form-stack" onSubmit={onSubmit}>
        <h2 id="edit-key-title">{t('editTitle', { name: apiKey.name })}</h2>
        <p className="hint">
          <code>{apiKey.key}</code> · {t('editHint')}
        </p>
        <KeyPolicyFields values={values} onChange={setValues} models={models} idPrefix="edit-key" />
        {invalid === null ? null : (
          <p className="banner banner-error" role="alert">
            {t(invalid)}
          </p>
        )}
        <ErrorBanner error={error} />
        <div className="dialog-actions">
          <button type="button" className="button-secondary" onClick={onClose}>
            {common('cancel')}
          </button>
          <button type="submit" disabled={working}>
            {working ? t('saving') : common('save')}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
