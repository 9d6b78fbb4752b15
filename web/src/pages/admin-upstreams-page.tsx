import { upstreamsSchema } from '../api/admin-schemas.ts';
import { consoleApi } from '../api/console-client.ts';
import { useApiQuery } from '../api/use-api-query.ts';
import { UpstreamsTable } from '../components/admin/upstreams-table.tsx';
import { ErrorBanner } from '../components/error-banner.tsx';
import { formatCount } from '../format/format-number.ts';
import { useLocale, useMessages } from '../i18n/locale-context.tsx';
import { adminUpstreamsMessages } from '../i18n/messages/admin-upstreams-messages.ts';
import { commonMessages } from '../i18n/messages/common-messages.ts';
import './admin-pages.css';

/** A breaker opens and probes within seconds; polling faster would only load the gateway. */
const UPSTREAMS_POLL_MS = 5000;

/** Admin: the circuit state of every upstream deployment, refreshed every few seconds. */
export function AdminUpstreamsPage() {
  const t = useMessages(adminUpstreamsMessages);
  const common = useMessages(commonMessages);
  const { locale } = useLocale();
  const upstreams = useApiQuery(
    async () => {
      const answer = await consoleApi.get('/admin/upstreams', upstreamsSchema);
      return { deployments: answer.data, atMs: Date.now() };
    },
    [],
    { pollMs: UPSTREAMS_POLL_MS },
  );
  const data = upstreams.data;
  const count = (state: string) =>
    formatCount(data?.deployments.filter((item) => item.state === state).length ?? 0, locale);

  return (
    <section className="admin-page">
      <h1>{t('title')}</h1>
      <p className="hint">{t('intro', { seconds: UPSTREAMS_POLL_MS / 1000 })}</p>
      <ErrorBanner error={upstreams.error} />
      {data === null ? (
        upstreams.error === null ? (
          <p className="muted">{common('loading')}</p>
        ) : null
      ) : data.deployments.length === 0 ? (
        <p className="muted">{t('noDeployments')}</p>
      ) : (
        <>
          <div className="admin-toolbar">
            <p data-testid="upstreams-summary">
              {t('summary', {
                total: formatCount(data.deployments.length, locale),
                closed: count('closed'),
                open: count('open'),
                halfOpen: count('half_open'),
                disabled: count('disabled'),
              })}
            </p>
            <p className="muted" aria-live="off" data-testid="upstreams-updated">
              {t('updatedAt', {
                time: new Date(data.atMs).toLocaleTimeString(locale === 'ko' ? 'ko-KR' : 'en-US'),
              })}
            </p>
          </div>
          <UpstreamsTable deployments={data.deployments} nowMs={data.atMs} />
          <section className="admin-legend" aria-labelledby="upstreams-legend">
            <h2 id="upstreams-legend">{t('legendTitle')}</h2>
            <ul>
              <li>{t('legendClosed')}</li>
              <li>{t('legendOpen')}</li>
              <li>{t('legendHalfOpen')}</li>
              <li>{t('legendDisabled')}</li>
            </ul>
          </section>
        </>
      )}
    </section>
  );
}
