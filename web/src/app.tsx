import type { ComponentType } from 'react';
import { LocaleProvider, useMessages } from './i18n/locale-context.tsx';
import { commonMessages } from './i18n/messages/common-messages.ts';
import { AppShell } from './layout/app-shell.tsx';
import { AdminAccountsPage } from './pages/admin-accounts-page.tsx';
import { AdminUpstreamsPage } from './pages/admin-upstreams-page.tsx';
import { AdminUsagePage } from './pages/admin-usage-page.tsx';
import { AdminVouchersPage } from './pages/admin-vouchers-page.tsx';
import { CreditsPage } from './pages/credits-page.tsx';
import { KeysPage } from './pages/keys-page.tsx';
import { LoginPage } from './pages/login-page.tsx';
import { ModelsPage } from './pages/models-page.tsx';
import { OverviewPage } from './pages/overview-page.tsx';
import { QuickStartPage } from './pages/quick-start-page.tsx';
import { RequestsPage } from './pages/requests-page.tsx';
import { SignupPage } from './pages/signup-page.tsx';
import { UsagePage } from './pages/usage-page.tsx';
import { Link, RouterProvider, useRouter } from './router/router.tsx';
import { SessionProvider, useSession } from './session/session-context.tsx';

const USER_PAGES: Record<string, ComponentType> = {
  '/': OverviewPage,
  '/keys': KeysPage,
  '/credits': CreditsPage,
  '/usage': UsagePage,
  '/requests': RequestsPage,
  '/models': ModelsPage,
  '/quickstart': QuickStartPage,
};

const ADMIN_PAGES: Record<string, ComponentType> = {
  '/admin/accounts': AdminAccountsPage,
  '/admin/vouchers': AdminVouchersPage,
  '/admin/upstreams': AdminUpstreamsPage,
  '/admin/usage': AdminUsagePage,
};

function NotFoundPage() {
  const t = useMessages(commonMessages);
  return (
    <section>
      <h1>{t('notFoundTitle')}</h1>
      <p>{t('notFoundBody')}</p>
      <Link to="/">{t('backToOverview')}</Link>
    </section>
  );
}

function Pages() {
  const t = useMessages(commonMessages);
  const { status, user } = useSession();
  const { route } = useRouter();
  if (status === 'loading') {
    return (
      <p className="page-loading" aria-live="polite">
        {t('loading')}
      </p>
    );
  }
  if (status === 'signed-out' || user === null) {
    return route.path === '/signup' ? <SignupPage /> : <LoginPage />;
  }
  const Page =
    USER_PAGES[route.path] ??
    (user.role === 'admin' ? ADMIN_PAGES[route.path] : undefined) ??
    NotFoundPage;
  return (
    <AppShell>
      <Page />
    </AppShell>
  );
}

export function App() {
  return (
    <LocaleProvider>
      <RouterProvider>
        <SessionProvider>
          <Pages />
        </SessionProvider>
      </RouterProvider>
    </LocaleProvider>
  );
}
