import type { DeploymentHealth } from '../../api/admin-schemas.ts';
import { formatCount, formatDateTime, formatShare } from '../../format/format-number.ts';
import { useLocale, useMessages } from '../../i18n/locale-context.tsx';
import { adminUpstreamsMessages } from '../../i18n/messages/admin-upstreams-messages.ts';
import { formatMoment } from './format-admin-time.ts';
import { UpstreamStateBadge } from './upstream-state-badge.tsx';

/** Open and half-open first: those are what an operator opened the page for. */
const STATE_ORDER = { open: 0, half_open: 1, disabled: 2, closed: 3 } as const;

/** Every deployment's breaker with its counters, cool-down and last error. */
export function UpstreamsTable(props: { deployments: readonly DeploymentHealth[]; nowMs: number }) {
  const t = useMessages(adminUpstreamsMessages);
  const { locale } = useLocale();
  const sorted = [...props.deployments].sort(
    (a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state] || a.id.localeCompare(b.id),
  );
  return (
    <div className="table-scroll">
      <table className="admin-upstreams-table" data-testid="upstreams">
        <thead>
          <tr>
            <th scope="col">{t('columnDeployment')}</th>
            <th scope="col">{t('columnModels')}</th>
            <th scope="col">{t('columnState')}</th>
            <th scope="col" className="number">
              {t('columnFailures')}
            </th>
            <th scope="col" className="number">
              {t('columnFailureRate')}
            </th>
            <th scope="col">{t('columnNext')}</th>
            <th scope="col">{t('columnLastError')}</th>
            <th scope="col">{t('columnChanged')}</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((deployment) => (
            <tr key={deployment.id} data-deployment-id={deployment.id}>
              <td>
                <span className="admin-provider-name">{deployment.provider}</span>
                <br />
                <code className="admin-nowrap">{deployment.upstreamModel}</code>
              </td>
              <td>
                {deployment.modelIds.map((model) => (
                  <div key={model} className="admin-nowrap">
                    {model}
                  </div>
                ))}
              </td>
              <td>
                <UpstreamStateBadge state={deployment.state} />
              </td>
              <td className="number">{formatCount(deployment.consecutiveFailures, locale)}</td>
              <td className="number">
                {deployment.windowAttempts === 0
                  ? t('noAttempts')
                  : t('failureRate', {
                      rate: formatShare(deployment.failureRate, locale),
                      attempts: formatCount(deployment.windowAttempts, locale),
                    })}
              </td>
              <td>
                {deployment.retryAtMs === null && deployment.coolingUntilMs === null ? '—' : null}
                {deployment.retryAtMs === null ? null : (
                  <div>
                    {t('nextProbe', {
                      time: formatMoment(deployment.retryAtMs, props.nowMs, locale),
                    })}
                  </div>
                )}
                {deployment.coolingUntilMs === null ? null : (
                  <div>
                    {t('coolingUntil', {
                      time: formatMoment(deployment.coolingUntilMs, props.nowMs, locale),
                    })}
                  </div>
                )}
              </td>
              <td className="admin-last-error">
                {deployment.lastError === null ? '—' : deployment.lastError}
              </td>
              <td>
                {deployment.lastChangeAtMs === null
                  ? '—'
                  : formatDateTime(new Date(deployment.lastChangeAtMs).toISOString(), locale)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
