import type { ReactNode } from 'react';
import { Money } from '../components/money.tsx';
import { isLocale } from '../i18n/locale.ts';
import { useLocale, useMessages } from '../i18n/locale-context.tsx';
import { commonMessages } from '../i18n/messages/common-messages.ts';
import { Link, useRouter } from '../router/router.tsx';
import { useSession } from '../session/session-context.tsx';

type NavKey = keyof typeof commonMessages.en;

const USER_NAV: ReadonlyArray<{ to: string; label: NavKey }> = [
  { to: '/', label: 'navOverview' },
  { to: '/keys', label: 'navKeys' },
  { to: '/credits', label: 'navCredits' },
  { to: '/usage', label: 'navUsage' },
  { to: '/requests', label: 'navRequests' },
  { to: '/models', label: 'navModels' },
  { to: '/quickstart', label: 'navQuickStart' },
];

const ADMIN_NAV: ReadonlyArray<{ to: string; label: NavKey }> = [
  { to: '/admin/accounts', label: 'navAdminAccounts' },
  { to: '/admin/vouchers', label: 'navAdminVouchers' },
  { to: '/admin/upstreams', label: 'navAdminUpstreams' },
  { to: '/admin/usage', label: 'navAdminUsage' },
];

/** The language switch; on every page, signed in or not. */
export function LanguageSelect() {
  const t = useMessages(commonMessages);
  const { locale } = useLocale();
  const { chooseLocale } = useSession();
  return (
    <label className="language-select">
      <span>{t('language')}</span>
      <select
        value={locale}
        onChange={(event) => {
          if (isLocale(event.target.value)) chooseLocale(event.target.value);
        }}
      >
        <option value="ko">{t('languageKo')}</option>
        <option value="en">{t('languageEn')}</option>
      </select>
    </label>
  );
}

/** Header, navigation and the page. */
export function AppShell({ children }: { children: ReactNode }) {
  const t = useMessages(commonMessages);
  const { user, signOut } = useSession();
  const { route } = useRouter();
  const navLink = (item: { to: string; label: NavKey }) => (
    <li key={item.to}>
      <Link to={item.to} aria-current={route.path === item.to ? 'page' : undefined}>
        {t(item.label)}
      </Link>
    </li>
  );
  return (
    <div className="shell">
      <header className="shell-header">
        <Link to="/" className="brand">
          {t('appName')}
        </Link>
        <div className="shell-header-end">
          {user === null ? null : (
            <>
              <span className="header-balance" data-testid="header-balance">
                {t('balance')}{' '}
                <Money amount={user.balance.available} currency={user.balance.currency} />
              </span>
              <span className="header-email">{t('signedInAs', { email: user.email })}</span>
            </>
          )}
          <LanguageSelect />
          {user === null ? null : (
            <button type="button" className="button-secondary" onClick={() => void signOut()}>
              {t('logOut')}
            </button>
          )}
        </div>
      </header>
      <div className="shell-body">
        <nav className="shell-nav" aria-label={t('appName')}>
          <ul>{USER_NAV.map(navLink)}</ul>
          {user?.role === 'admin' ? (
            <>
              <h2 className="nav-heading">{t('navAdmin')}</h2>
              <ul>{ADMIN_NAV.map(navLink)}</ul>
            </>
          ) : null}
        </nav>
        <main className="shell-main">{children}</main>
      </div>
    </div>
  );
}
