import { useState } from 'react';
import { consoleApi } from '../../api/console-client.ts';
import { type ApiKey, revokedKeySchema } from '../../api/keys-schemas.ts';
import { useMessages } from '../../i18n/locale-context.tsx';
import { commonMessages } from '../../i18n/messages/common-messages.ts';
import { keysMessages } from '../../i18n/messages/keys-messages.ts';
import { ErrorBanner } from '../error-banner.tsx';
import { ModalDialog } from './modal-dialog.tsx';

/** The confirmation step before `DELETE /keys/:id`: revoking is immediate and final. */
export function RevokeKeyDialog({
  apiKey,
  onClose,
  onRevoked,
}: {
  apiKey: ApiKey;
  onClose(): void;
  onRevoked(key: ApiKey): void;
}) {
  const t = useMessages(keysMessages);
  const common = useMessages(commonMessages);
  const [error, setError] = useState<unknown>(null);
  const [working, setWorking] = useState(false);

  const onConfirm = async () => {
    setError(null);
    setWorking(true);
    try {
      await consoleApi.delete(`/keys/${encodeURIComponent(apiKey.id)}`, revokedKeySchema);
      onRevoked(apiKey);
    } catch (failure) {
      setError(failure);
      setWorking(false);
    }
  };

  return (
    <ModalDialog titleId="revoke-key-title" onClose={onClose}>
      <div className="form-stack">
        <h2 id="revoke-key-title">{t('revokeTitle', { name: apiKey.name })}</h2>
        <p>{t('revokeBody', { key: apiKey.key })}</p>
        <ErrorBanner error={error} />
        <div className="dialog-actions">
          <button type="button" className="button-secondary" onClick={onClose}>
            {common('cancel')}
          </button>
          <button type="button" className="button-danger" disabled={working} onClick={onConfirm}>
            {working ? t('revoking') : t('revokeConfirm')}
          </button>
        </div>
      </div>
    </ModalDialog>
  );
}
