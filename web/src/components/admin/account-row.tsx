import { useState } from 'react';
import { type AdminAccount, adminAccountSchema } from '../../api/admin-schemas.ts';
import { consoleApi } from '../../api/console-client.ts';
import { formatDateTime } from '../../format/format-number.ts';
import { useLocale, useMessages } from '../../i18n/locale-context.tsx';
import { adminAccountsMessages } from '../../i18n/messages/admin-accounts-messages.ts';
import { commonMessages } from '../../i18n/messages/common-messages.ts';
import { useSession } from '../../session/session-context.tsx';
import { ErrorBanner } from '../error-banner.tsx';
import { Money } from '../money.tsx';
import { AccountUsers } from './account-users.tsx';
import { AdjustCreditsForm } from './adjust-credits-form.tsx';
import { BreakableText } from './breakable-text.tsx';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { formatDay } from './format-admin-time.ts';
import { StatusBadge } from './status-badge.tsx';

// Columns of the accounts table (admin-accounts-page.tsx); the details row spans them all.
const ACCOUNT_COLUMNS = 7;

/** One account: balance, users, and its actions; after a change, `onChanged` reloads the list. */
export function AccountRow({ account, onChanged }: { account: AdminAccount; onChanged(): void }) {
  const t = useMessages(adminAccountsMessages);
  const common = useMessages(commonMessages);
  const { locale } = useLocale();
  const { user, refresh } = useSession();
  const [adjusting, setAdjusting] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const disabled = account.status === 'disabled';
  const ownAccount = user?.accountId === account.id;
  const { balance } = account;

  const toggle = async () => {
    setBusy(true);
    setActionError(null);
    try {
      const action = disabled ? 'enable' : 'disable';
      await consoleApi.post(
        `/admin/accounts/${encodeURIComponent(account.id)}/${action}`,
        {},
        adminAccountSchema,
      );
      setNotice(t(disabled ? 'enabledDone' : 'disabledDone', { name: account.name }));
      onChanged();
    } catch (error) {
      setActionError(error);
      setNotice(null);
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };

  const showDetails = adjusting || actionError !== null || notice !== null;
  return (
    <>
      <tr data-account-id={account.id} className={disabled ? 'admin-row-disabled' : undefined}>
        <td>
          <strong className="admin-account-name">
            <BreakableText text={account.name} />
          </strong>
          <br />
          <code className="muted">{account.id}</code>
        </td>
        <td>
          <StatusBadge tone={disabled ? 'bad' : 'good'}>
            {disabled ? t('statusDisabled') : t('statusActive')}
          </StatusBadge>
          {account.disabledAt === null ? null : (
            <div className="muted">
              {t('disabledSince', { time: formatDay(account.disabledAt, locale) })}
            </div>
          )}
        </td>
        <td className="number" data-testid="account-available">
          <Money amount={balance.available} currency={balance.currency} />
        </td>
        <td className="number">
          <Money amount={balance.held} currency={balance.currency} />
        </td>
        <td>
          <AccountUsers users={account.users} />
        </td>
        <td className="admin-nowrap" title={formatDateTime(account.createdAt, locale)}>
          {formatDay(account.createdAt, locale)}
        </td>
        <td>
          <div className="admin-row-actions">
            <button
              type="button"
              className="button-secondary"
              aria-expanded={adjusting}
              onClick={() => setAdjusting(!adjusting)}
            >
              {adjusting ? t('hideAdjust') : t('adjust')}
            </button>
            <button
              type="button"
              className={disabled ? 'button-secondary' : 'button-danger'}
              disabled={busy || ownAccount}
              title={ownAccount ? t('ownAccount') : undefined}
              onClick={() => setConfirming(true)}
            >
              {disabled ? t('enable') : t('disable')}
            </button>
          </div>
        </td>
      </tr>
      {showDetails ? (
        <tr className="admin-row-details">
          <td colSpan={ACCOUNT_COLUMNS}>
            {notice === null ? null : (
              <p className="banner banner-success" role="status">
                {notice}
              </p>
            )}
            <ErrorBanner error={actionError} />
            {adjusting ? (
              <AdjustCreditsForm
                account={{
                  id: account.id,
                  name: account.name,
                  available: balance.available,
                  currency: balance.currency,
                }}
                onAdjusted={() => {
                  if (ownAccount) void refresh();
                  onChanged();
                }}
              />
            ) : null}
          </td>
        </tr>
      ) : null}
      {confirming ? (
        <ConfirmDialog
          title={t(disabled ? 'confirmEnableTitle' : 'confirmDisableTitle', { name: account.name })}
          body={t(disabled ? 'confirmEnableBody' : 'confirmDisableBody')}
          confirmLabel={t(disabled ? 'confirmEnable' : 'confirmDisable')}
          cancelLabel={common('cancel')}
          danger={!disabled}
          busy={busy}
          onConfirm={() => void toggle()}
          onCancel={() => setConfirming(false)}
        />
      ) : null}
    </>
  );
}
