import { consoleApi } from '../api/console-client.ts';
import { type UsageReport, usageReportSchema } from '../api/usage-schemas.ts';
import { useApiQuery } from '../api/use-api-query.ts';
import { ErrorBanner } from '../components/error-banner.tsx';
import { LiveSpendToday } from '../components/live-spend-today.tsx';
import { Money } from '../components/money.tsx';
import { DailyCostChart } from '../components/usage/daily-cost-chart.tsx';
import { MonthPicker } from '../components/usage/month-picker.tsx';
import {
  currentUtcMonth,
  formatReportMonth,
  isReportMonth,
} from '../components/usage/report-month.ts';
import { UsageModelTable } from '../components/usage/usage-model-table.tsx';
import { formatMoney } from '../format/format-money.ts';
import { formatCount } from '../format/format-number.ts';
import { useLocale, useMessages } from '../i18n/locale-context.tsx';
import { usageMessages } from '../i18n/messages/usage-messages.ts';
import { Link, useRouter } from '../router/router.tsx';
import './usage-page.css';

function MonthTotalCard({ report }: { report: UsageReport }) {
  const t = useMessages(usageMessages);
  const { locale } = useLocale();
  const { total } = report;
  return (
    <section className="card">
      <h2>{t('monthTotal', { month: formatReportMonth(report.month, locale) })}</h2>
      <p className="figure" data-testid="month-total">
        <Money amount={total.cost} currency={report.currency} />
      </p>
      <p className="hint">
        {t('requestCount', { count: formatCount(total.requests, locale) })}
        {total.errors > 0
          ? ` · ${t('failedCount', { count: formatCount(total.errors, locale) })}`
          : null}
        {total.estimated > 0
          ? ` · ${t('estimatedCount', { count: formatCount(total.estimated, locale) })}`
          : null}
      </p>
    </section>
  );
}

function EmptyMonth({ month }: { month: string }) {
  const t = useMessages(usageMessages);
  const { locale } = useLocale();
  return (
    <section className="card usage-empty" data-testid="usage-empty">
      <h2>{t('emptyTitle', { month: formatReportMonth(month, locale) })}</h2>
      <p>{t('emptyBody')}</p>
      <p className="hint">
        <Link to="/quickstart">{t('emptyLink')}</Link> · {t('emptyOtherMonth')}
      </p>
    </section>
  );
}

function MonthReport({ report }: { report: UsageReport }) {
  const t = useMessages(usageMessages);
  const { locale } = useLocale();
  return (
    <>
      {report.matchesLedger ? null : (
        <p className="banner banner-error" role="alert">
          {t('ledgerMismatch', {
            amount: formatMoney(report.ledgerTotal, report.currency, locale),
          })}
        </p>
      )}
      <section className="card usage-chart-card">
        <h2>{t('dailyCost')}</h2>
        <DailyCostChart report={report} />
      </section>
      <h2>{t('byModel')}</h2>
      <UsageModelTable report={report} />
      <p className="hint usage-note">{t('tableNote')}</p>
    </>
  );
}

/** The monthly report: live spend today, the month's total, daily cost chart, per-model table. */
export function UsagePage() {
  const t = useMessages(usageMessages);
  const { locale } = useLocale();
  const { route, navigate } = useRouter();
  const asked = route.query.get('month');
  const month = asked !== null && isReportMonth(asked) ? asked : currentUtcMonth();
  const report = useApiQuery(
    () => consoleApi.get(`/usage?month=${encodeURIComponent(month)}`, usageReportSchema),
    [month],
  );
  // Only show the report of the month asked for, never the previous month's while loading.
  const shown = report.data?.month === month ? report.data : null;
  const csvHref = `/console/api/usage?month=${encodeURIComponent(month)}&format=csv`;

  return (
    <section>
      <h1>{t('title')}</h1>
      <p className="hint usage-intro">{t('intro')}</p>
      <div className="form-row usage-toolbar">
        <MonthPicker
          month={month}
          onChange={(next) => navigate(`/usage?month=${next}`, { replace: true })}
        />
        <a className="button button-secondary" href={csvHref} download={`usage-${month}.csv`}>
          {t('downloadCsv')}
        </a>
      </div>
      {asked !== null && !isReportMonth(asked) ? (
        <p className="banner banner-error" role="alert">
          {t('invalidMonth', { value: asked, month: formatReportMonth(month, locale) })}
        </p>
      ) : null}
      <ErrorBanner error={report.error} />
      <div className="card-grid usage-cards">
        {/* Today belongs to the current month only: its spending changes that month's report. */}
        <LiveSpendToday
          {...(month === currentUtcMonth() ? { onSpentChange: report.reload } : {})}
        />
        {shown === null ? null : <MonthTotalCard report={shown} />}
      </div>
      {shown === null ? null : shown.total.requests === 0 ? (
        <EmptyMonth month={month} />
      ) : (
        <MonthReport report={shown} />
      )}
    </section>
  );
}
