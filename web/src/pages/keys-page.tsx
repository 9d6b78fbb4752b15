import { useState } from 'react';
import { consoleApi } from '../api/console-client.ts';
import {
  type ApiKey,
  type CreatedKey,
  keyListSchema,
  modelIdsSchema,
} from '../api/keys-schemas.ts';
import { useApiQuery } from '../api/use-api-query.ts';
import { ErrorBanner } from '../components/error-banner.tsx';
import { EditKeyDialog } from '../components/keys/edit-key-dialog.tsx';
import { KeyTable } from '../components/keys/key-table.tsx';
import { NewKeyForm } from '../components/keys/new-key-form.tsx';
import { RevokeKeyDialog } from '../components/keys/revoke-key-dialog.tsx';
import { ShownOnceKey } from '../components/keys/shown-once-key.tsx';
import { useMessages } from '../i18n/locale-context.tsx';
import { commonMessages } from '../i18n/messages/common-messages.ts';
import { keysMessages } from '../i18n/messages/keys-messages.ts';
import './keys-page.css';

type Dialog = { kind: 'edit'; key: ApiKey } | { kind: 'revoke'; key: ApiKey } | null;
type Done = { kind: 'saved' | 'revoked'; name: string } | null;

/** `/keys`: the account's API keys; a new key's secret is shown once, right after creation. */
export function KeysPage() {
  const t = useMessages(keysMessages);
  const common = useMessages(commonMessages);
  const keys = useApiQuery(() => consoleApi.get('/keys', keyListSchema), []);
  const models = useApiQuery(() => consoleApi.get('/models', modelIdsSchema), []);
  const modelIds = models.data?.data.map((model) => model.id) ?? [];
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [done, setDone] = useState<Done>(null);

  const finish = (kind: 'saved' | 'revoked', key: ApiKey) => {
    setDialog(null);
    setDone({ kind, name: key.name });
    keys.reload();
  };

  return (
    <section className="keys-page">
      <h1>{t('title')}</h1>
      <p className="muted page-intro">{t('intro')}</p>
      {created === null ? null : (
        // Keyed by the key: a second new key (the first not dismissed) is a new box and gets the
        // focus and the view as the first did.
        <ShownOnceKey
          key={created.apiKey.id}
          created={created}
          onDismiss={() => setCreated(null)}
        />
      )}

      <h2>{t('listTitle')}</h2>
      {done === null ? null : (
        <p className="banner banner-success" role="status">
          {t(done.kind, { name: done.name })}
        </p>
      )}
      <ErrorBanner error={keys.error} />
      {keys.data === null ? (
        keys.loading ? (
          <p className="muted">{common('loading')}</p>
        ) : null
      ) : keys.data.data.length === 0 ? (
        <p className="muted">{t('empty')}</p>
      ) : (
        <KeyTable
          keys={keys.data.data}
          onEdit={(key) => setDialog({ kind: 'edit', key })}
          onRevoke={(key) => setDialog({ kind: 'revoke', key })}
        />
      )}

      <NewKeyForm
        models={modelIds}
        onCreated={(next) => {
          setDone(null);
          setCreated(next);
          keys.reload();
        }}
      />
      <ErrorBanner error={models.error} />

      {dialog?.kind === 'edit' ? (
        <EditKeyDialog
          apiKey={dialog.key}
          models={modelIds}
          onClose={() => setDialog(null)}
          onSaved={(key) => finish('saved', key)}
        />
      ) : null}
      {dialog?.kind === 'revoke' ? (
        <RevokeKeyDialog
          apiKey={dialog.key}
          onClose={() => setDialog(null)}
          onRevoked={(key) => finish('revoked', key)}
        />
      ) : null}
    </section>
  );
}
