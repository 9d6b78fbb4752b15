import { type FormEvent, useState } from 'react';
import { consoleApi } from '../../api/console-client.ts';
import { type CreatedKey, type CreateKeyBody, createdKeySchema } from '../../api/keys-schemas.ts';
import { useMessages } from '../../i18n/locale-context.tsx';
import { keysMessages } from '../../i18n/messages/keys-messages.ts';
import { ErrorBanner } from '../error-banner.tsx';
import { expiryDateToIso, isBeforeToday, parseCapInput } from './key-form-values.ts';
import { EMPTY_POLICY, KeyPolicyFields, type KeyPolicyValues } from './key-policy-fields.tsx';

/** Name and limits of a new key; hands the created key (with its one-time secret) upwards. */
export function NewKeyForm({
  models,
  onCreated,
}: {
  models: readonly string[];
  onCreated(created: CreatedKey): void;
}) {
  const t = useMessages(keysMessages);
  const [name, setName] = useState('');
  const [policy, setPolicy] = useState<KeyPolicyValues>(EMPTY_POLICY);
  const [invalid, setInvalid] = useState<'capInvalid' | 'expiryPast' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [working, setWorking] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const cap = parseCapInput(policy.cap);
    if (cap === undefined) {
      setInvalid('capInvalid');
      return;
    }
    if (policy.expiry !== '' && isBeforeToday(policy.expiry)) {
      setInvalid('expiryPast');
      return;
    }
    setInvalid(null);
    const body: CreateKeyBody = { name: name.trim() };
    if (cap !== null) body.monthlySpendCap = cap;
    if (policy.models.length > 0) body.allowedModels = policy.models;
    if (policy.expiry !== '') body.expiresAt = expiryDateToIso(policy.expiry);
    setWorking(true);
    try {
      const created = await consoleApi.post('/keys', body, createdKeySchema);
      setName('');
      setPolicy(EMPTY_POLICY);
      onCreated(created);
    } catch (failure) {
      setError(failure);
    } finally {
      setWorking(false);
    }
  };

  return (
    <section className="card" aria-labelledby="new-key-form-title">
      <h2 id="new-key-form-title">{t('createTitle')}</h2>
      <form className="form-stack" onSubmit={onSubmit}>
        <label className="key-name-field">
          {t('name')}
          <input
            type="text"
            name="name"
            required
            maxLength={100}
            autoComplete="off"
            placeholder={t('namePlaceholder')}
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
        </label>
        <KeyPolicyFields values={policy} onChange={setPolicy} models={models} idPrefix="new-key" />
        {invalid === null ? null : (
          <p className="banner banner-error" role="alert">
            {t(invalid)}
          </p>
        )}
        <ErrorBanner error={error} />
        <div>
          <button type="submit" disabled={working}>
            {working ? t('creating') : t('create')}
          </button>
        </div>
      </form>
    </section>
  );
}
