import type { AdminAccount } from '../../api/admin-schemas.ts';
import { formatDateTime } from '../../format/format-number.ts';
import { useLocale, useMessages } from '../../i18n/locale-context.tsx';
import { adminAccountsMessages } from '../../i18n/messages/admin-accounts-messages.ts';
import { BreakableText } from './breakable-text.tsx';
import { StatusBadge } from './status-badge.tsx';

/** The console users of one account: email, role and when each last logged in. */
export function AccountUsers({ users }: { users: AdminAccount['users'] }) {
  const t = useMessages(adminAccountsMessages);
  const { locale } = useLocale();
  if (users.length === 0) return <span className="muted">{t('noUsers')}</span>;
  return (
    <ul className="admin-account-users">
      {users.map((user) => (
        <li key={user.id}>
          <span className="admin-account-user-email">
            <BreakableText text={user.email} />
          </span>{' '}
          <StatusBadge tone={user.role === 'admin' ? 'warn' : 'neutral'}>
            {user.role === 'admin' ? t('roleAdmin') : t('roleUser')}
          </StatusBadge>
          {user.disabled ? (
            <>
              {' '}
              <StatusBadge tone="bad">{t('userDisabled')}</StatusBadge>
            </>
          ) : null}
          <br />
          <span className="muted">
            {user.lastLoginAt === null
              ? t('neverLoggedIn')
              : t('lastLogin', { time: formatDateTime(user.lastLoginAt, locale) })}
          </span>
        </li>
      ))}
    </ul>
  );
}
