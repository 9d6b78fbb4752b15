import type { ApiKey, KeyStatus } from '../../api/keys-schemas.ts';
import { useLocale, useMessages } from '../../i18n/locale-context.tsx';
import { keysMessages } from '../../i18n/messages/keys-messages.ts';
import { useUser } from '../../session/session-context.tsx';
import { Money } from '../money.tsx';
import { formatKeyDay, formatKeyMinute } from './format-key-time.ts';

const STATUS_KEYS = {
  active: 'statusActive',
  revoked: 'statusRevoked',
  expired: 'statusExpired',
} as const satisfies Record<KeyStatus, string>;

/** The account's keys, newest first, with their limits; revoked keys stay listed, read-only. */
export function KeyTable({
  keys,
  onEdit,
  onRevoke,
}: {
  keys: readonly ApiKey[];
  onEdit(key: ApiKey): void;
  onRevoke(key: ApiKey): void;
}) {
  const t = useMessages(keysMessages);
  const { locale } = useLocale();
  const { currency } = useUser();
  const sorted = [...keys].sort((first, second) => second.createdAt.localeCompare(first.createdAt));
  return (
    <div className="table-scroll">
      <table className="key-table">
        <thead>
          <tr>
            <th scope="col">{t('colName')}</th>
            <th scope="col">{t('colKey')}</th>
            <th scope="col">{t('colStatus')}</th>
            <th scope="col">{t('colCreated')}</th>
            <th scope="col">{t('colLastUsed')}</th>
            <th scope="col">{t('colExpires')}</th>
            <th scope="col" className="number">
              {t('colCap')}
            </th>
            <th scope="col">{t('colModels')}</th>
            <th scope="col">{t('colActions')}</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((key) => (
            <tr key={key.id} data-testid="key-row" data-key-id={key.id}>
              <th scope="row" className="key-name">
                {key.name}
              </th>
              <td className="key-time">
                <code className="key-mask">{key.key}</code>
              </td>
              <td className="key-time">
                <span className={`key-status key-status-${key.status}`}>
                  {t(STATUS_KEYS[key.status])}
                </span>
              </td>
              <td className="key-time" title={key.createdAt}>
                {formatKeyDay(key.createdAt, locale)}
              </td>
              <td className="key-time">
                {key.lastUsedAt === null ? (
                  <span className="muted">{t('neverUsed')}</span>
                ) : (
                  formatKeyMinute(key.lastUsedAt, locale)
                )}
              </td>
              <td className="key-time" title={key.expiresAt ?? undefined}>
                {key.expiresAt === null ? (
                  <span className="muted">{t('noExpiry')}</span>
                ) : (
                  formatKeyDay(key.expiresAt, locale)
                )}
              </td>
              <td className="number" data-testid="key-cap">
                {key.monthlySpendCap === null ? (
                  <span className="muted">{t('noCap')}</span>
                ) : (
                  <Money amount={key.monthlySpendCap} currency={currency} />
                )}
              </td>
              <td>
                {key.allowedModels === null ? (
                  <span className="muted">{t('allModels')}</span>
                ) : key.allowedModels.length === 0 ? (
                  // An empty list (the API takes one) refuses every request; it is no limit at all.
                  <span className="muted">{t('noModels')}</span>
                ) : (
                  <ul className="key-models">
                    {key.allowedModels.map((model) => (
                      <li key={model}>
                        <code>{model}</code>
                      </li>
                    ))}
                  </ul>
                )}
              </td>
              <td>
                {key.status === 'revoked' ? null : (
                  <div className="key-actions">
                    <button
                      type="button"
                      className="button-secondary"
                      aria-label={t('editFor', { name: key.name })}
                      onClick={() => onEdit(key)}
                    >
                      {t('edit')}
                    </button>
                    <button
                      type="button"
                      className="button-danger"
                      aria-label={t('revokeFor', { name: key.name })}
                      onClick={() => onRevoke(key)}
                    >
                      {t('revoke')}
                    </button>
                  </div>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
