import type { RequestAttempt } from '../../api/requests-schemas.ts';
import { formatMilliseconds } from '../../format/format-number.ts';
import { useLocale, useMessages } from '../../i18n/locale-context.tsx';
import { requestsMessages } from '../../i18n/messages/requests-messages.ts';
import { outcomeText, statusClass } from './request-labels.ts';

/** Where on the timeline (percent of `span`) an attempt starts and how long it runs. */
function barGeometry(attempt: RequestAttempt, span: number): { left: number; width: number } {
  const start = attempt.startMs ?? 0;
  const duration = attempt.durationMs ?? 0;
  if (span <= 0) return { left: 0, width: 100 };
  const left = Math.min(100, (start / span) * 100);
  // A 0 ms attempt still gets a visible sliver.
  return { left, width: Math.max(1.5, Math.min(100 - left, (duration / span) * 100)) };
}

/**
 * Every upstream attempt in order, with a small timeline; attempts for a model other than the
 * first are fallbacks and say so, so a request that changed model is obvious at a glance.
 */
export function AttemptChain({
  attempts,
  totalMs,
}: {
  attempts: readonly RequestAttempt[];
  totalMs: number;
}) {
  const t = useMessages(requestsMessages);
  const { locale } = useLocale();
  const firstModel = attempts[0]?.model ?? null;
  const span = Math.max(
    totalMs,
    ...attempts.map((attempt) => (attempt.startMs ?? 0) + (attempt.durationMs ?? 0)),
  );
  return (
    <div className="table-scroll">
      <table className="attempt-table" data-testid="attempt-chain">
        <thead>
          <tr>
            <th scope="col" className="number">
              {t('attemptNumber')}
            </th>
            <th scope="col">{t('attemptModel')}</th>
            <th scope="col">{t('attemptUpstream')}</th>
            <th scope="col">{t('attemptOutcome')}</th>
            <th scope="col" className="number">
              {t('attemptStart')}
            </th>
            <th scope="col" className="number">
              {t('attemptDuration')}
            </th>
            <th scope="col" className="attempt-timeline-head">
              {t('attemptTimeline')}
            </th>
          </tr>
        </thead>
        <tbody>
          {attempts.map((attempt, index) => {
            const fallback = firstModel !== null && attempt.model !== firstModel;
            const bar = barGeometry(attempt, span);
            return (
              <tr
                // The chain is a fixed history: its order is its identity.
                // biome-ignore lint/suspicious/noArrayIndexKey: attempts have no id of their own.
                key={index}
                className={fallback ? 'attempt-fallback' : undefined}
                data-outcome={attempt.outcome ?? ''}
              >
                <td className="number">{index + 1}</td>
                <td>
                  <code>{attempt.model ?? '—'}</code>
                  {fallback ? (
                    <span className="badge badge-fallback">{t('fallbackBadge')}</span>
                  ) : null}
                </td>
                <td>
                  {attempt.provider ?? '—'}
                  <span className="request-subline">
                    <code>{attempt.upstreamModel ?? '—'}</code>
                  </span>
                </td>
                <td>
                  <span className={statusClass(attempt.outcome)}>
                    {outcomeText(t, attempt.outcome)}
                  </span>
                  {attempt.upstreamStatus === null
                    ? null
                    : ` · ${t('upstreamStatus', { status: attempt.upstreamStatus })}`}
                  {attempt.errorCode === null ? null : (
                    <span className="request-subline">
                      <code>{attempt.errorCode}</code>
                    </span>
                  )}
                </td>
                <td className="number">
                  {attempt.startMs === null
                    ? '—'
                    : t('startOffset', { ms: formatMilliseconds(attempt.startMs, locale) })}
                </td>
                <td className="number">{formatMilliseconds(attempt.durationMs, locale)}</td>
                <td className="attempt-timeline" aria-hidden="true">
                  <span
                    className={`attempt-bar attempt-bar-${attempt.outcome ?? 'unknown'}`}
                    style={{ left: `${bar.left}%`, width: `${bar.width}%` }}
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
