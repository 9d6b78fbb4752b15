import { useState } from 'react';
import { globalUsageSchema } from '../api/admin-schemas.ts';
import { consoleApi } from '../api/console-client.ts';
import { useApiQuery } from '../api/use-api-query.ts';
import { ModelUsageTable } from '../components/admin/model-usage-table.tsx';
import { TopAccountsTable } from '../components/admin/top-accounts-table.tsx';
import { ErrorBanner } from '../components/error-banner.tsx';
import { Money } from '../components/money.tsx';
import { formatMoney } from '../format/format-money.ts';
import { formatCount } from '../format/format-number.ts';
import { useLocale, useMessages } from '../i18n/locale-context.tsx';
import { adminUsageMessages } from '../i18n/messages/admin-usage-messages.ts';
import { commonMessages } from '../i18n/messages/common-messages.ts';
import './admin-pages.css';

/** How many accounts the ranking shows. */
const TOP_ACCOUNTS = 10;

/** Reports are by UTC month, so "this month" is UTC's too. */
function currentUtcMonth(): string {
  return new Date().toISOString().slice(0, 7);
}

/** Admin: the whole gateway's usage for a month, per model, and the accounts that spent most. */
export function AdminUsagePage() {
  const t = useMessages(adminUsageMessages);
  const common = useMessages(commonMessages);
  const { locale } = useLocale();
  const thisMonth = currentUtcMonth();
  const [typed, setTyped] = useState(thisMonth);
  // A cleared or half-typed month keeps the last report on screen instead of asking for nonsense.
  const [month, setMonth] = useState(thisMonth);
  const usage = useApiQuery(
    () =>
      consoleApi.get(
        `/admin/usage?${new URLSearchParams({ month, top: String(TOP_ACCOUNTS) })}`,
        globalUsageSchema,
      ),
    [month],
  );
  const validTyped = /^\d{4}-(0[1-9]|1[0-2])$/.test(typed);
  const data = usage.data;
  const count = (value: number) => formatCount(value, locale);

  return (
    <section className="admin-page">
      <h1>{t('title')}</h1>
      <p className="hint">{t('intro')}</p>
      <div className="admin-toolbar">
        <label className="admin-month-picker">
          {t('monthLabel')}
          <input
            type="month"
            name="month"
            value={typed}
            max={thisMonth}
            onChange={(event) => {
              setTyped(event.target.value);
              if (/^\d{4}-(0[1-9]|1[0-2])$/.test(event.target.value)) {
                setMonth(event.target.value);
              }
            }}
          />
        </label>
      </div>
      {validTyped ? null : (
        <p className="banner banner-error" role="alert">
          {t('monthInvalid')}
        </p>
      )}
      <ErrorBanner error={usage.error} />
      {data === null ? (
        usage.error === null ? (
          <p className="muted">{common('loading')}</p>
        ) : null
      ) : (
        <>
          <div className="card-grid">
            <section className="card">
              <h2>{t('totalRequests')}</h2>
              <p className="figure" data-testid="usage-total-requests">
                {count(data.report.total.requests)}
              </p>
              <p className="hint">
                {t('requestsDetail', {
                  ok: count(data.report.total.ok),
                  errors: count(data.report.total.errors),
                })}
              </p>
            </section>
            <section className="card">
              <h2>{t('totalCost')}</h2>
              <p className="figure" data-testid="usage-total-cost">
                <Money amount={data.report.total.cost} currency={data.report.currency} />
              </p>
              <p className={data.report.matchesLedger ? 'hint' : 'hint status-error'}>
                {t(data.report.matchesLedger ? 'ledgerMatches' : 'ledgerMismatch', {
                  amount: formatMoney(data.report.ledgerTotal, data.report.currency, locale),
                })}
              </p>
            </section>
            <section className="card">
              <h2>{t('totalTokens')}</h2>
              <p className="figure">
                {count(data.report.total.tokens.input + data.report.total.tokens.output)}
              </p>
              <p className="hint">
                {t('tokensDetail', {
                  input: count(data.report.total.tokens.input),
                  output: count(data.report.total.tokens.output),
                })}
              </p>
            </section>
          </div>
          <h2>{t('byModelTitle')}</h2>
          {data.report.models.length === 0 ? (
            <p className="muted">{t('noUsage', { month: data.report.month })}</p>
          ) : (
            <ModelUsageTable report={data.report} />
          )}
          <h2>{t('topAccountsTitle', { count: TOP_ACCOUNTS })}</h2>
          {data.topAccounts.length === 0 ? (
            <p className="muted">{t('noTopAccounts', { month: data.report.month })}</p>
          ) : (
            <TopAccountsTable accounts={data.topAccounts} />
          )}
        </>
      )}
    </section>
  );
}
