import { type FormEvent, useEffect, useState } from 'react';
import { accountSearchSchema } from '../api/admin-schemas.ts';
import { consoleApi } from '../api/console-client.ts';
import { useApiQuery } from '../api/use-api-query.ts';
import { AccountRow } from '../components/admin/account-row.tsx';
import { ErrorBanner } from '../components/error-banner.tsx';
import { useMessages } from '../i18n/locale-context.tsx';
import { adminAccountsMessages } from '../i18n/messages/admin-accounts-messages.ts';
import { commonMessages } from '../i18n/messages/common-messages.ts';
import './admin-pages.css';

/** Typing pauses this long before the search runs, so each keystroke does not query. */
const SEARCH_DELAY_MS = 300;

/** Admin: find accounts by name or email, adjust their credits, disable or enable them. */
export function AdminAccountsPage() {
  const t = useMessages(adminAccountsMessages);
  const common = useMessages(commonMessages);
  const [typed, setTyped] = useState('');
  const [query, setQuery] = useState('');

  useEffect(() => {
    const timer = window.setTimeout(() => setQuery(typed.trim()), SEARCH_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [typed]);

  const accounts = useApiQuery(
    () =>
      consoleApi.get(
        `/admin/accounts?${new URLSearchParams(query === '' ? {} : { q: query })}`,
        accountSearchSchema,
      ),
    [query],
  );

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (typed.trim() === query) accounts.reload();
    else setQuery(typed.trim());
  };

  const data = accounts.data;
  return (
    <section className="admin-page">
      <h1>{t('title')}</h1>
      <p className="hint">{t('intro')}</p>
      <search>
        <form className="admin-toolbar" onSubmit={submit}>
          <label className="admin-search">
            {t('searchLabel')}
            <input
              type="search"
              name="q"
              value={typed}
              placeholder={t('searchPlaceholder')}
              onChange={(event) => setTyped(event.target.value)}
            />
          </label>
          <button type="submit">{t('search')}</button>
        </form>
      </search>
      <ErrorBanner error={accounts.error} />
      {data === null ? (
        accounts.error === null ? (
          <p className="muted">{common('loading')}</p>
        ) : null
      ) : (
        <>
          <p className="muted" aria-live="polite" data-testid="accounts-shown">
            {data.data.length === 0
              ? query === ''
                ? t('noAccounts')
                : t('noMatches', { query })
              : t('shown', { shown: data.data.length, total: data.total })}
          </p>
          {data.data.length === 0 ? null : (
            <div className="table-scroll">
              <table className="admin-accounts-table">
                <thead>
                  <tr>
                    <th scope="col">{t('columnAccount')}</th>
                    <th scope="col">{t('columnStatus')}</th>
                    <th scope="col" className="number">
                      {t('columnAvailable')}
                    </th>
                    <th scope="col" className="number">
                      {t('columnHeld')}
                    </th>
                    <th scope="col">{t('columnUsers')}</th>
                    <th scope="col">{t('columnCreated')}</th>
                    <th scope="col">{t('columnActions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.data.map((account) => (
                    <AccountRow key={account.id} account={account} onChanged={accounts.reload} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
