import type { RequestLogEntry } from '../../api/requests-schemas.ts';
import { formatCount, formatMilliseconds, formatRate } from '../../format/format-number.ts';
import type { Locale } from '../../i18n/locale.ts';
import { useLocale, useMessages } from '../../i18n/locale-context.tsx';
import { requestsMessages } from '../../i18n/messages/requests-messages.ts';
import { Money } from '../money.tsx';
import { statusClass, statusText } from './request-labels.ts';

/** Time first (what tells rows apart), the date below it: the column stays narrow. */
function timeParts(iso: string, locale: Locale): { time: string; date: string } {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return { time: iso, date: '' };
  const tag = locale === 'ko' ? 'ko-KR' : 'en-US';
  return {
    time: date.toLocaleTimeString(tag, { timeStyle: 'medium' }),
    date: date.toLocaleDateString(tag, { dateStyle: 'medium' }),
  };
}

function TokensCell({ entry }: { entry: RequestLogEntry }) {
  const t = useMessages(requestsMessages);
  const { locale } = useLocale();
  const { tokens } = entry;
  const extras = [
    tokens.cachedInput > 0 ? t('cached', { count: formatCount(tokens.cachedInput, locale) }) : null,
    tokens.cacheWrite > 0
      ? t('cacheWrite', { count: formatCount(tokens.cacheWrite, locale) })
      : null,
    tokens.reasoning > 0 ? t('reasoning', { count: formatCount(tokens.reasoning, locale) }) : null,
  ].filter((text) => text !== null);
  return (
    <td className="number">
      {formatCount(tokens.input, locale)} / {formatCount(tokens.output, locale)}
      {extras.length > 0 ? <span className="request-subline">{extras.join(' · ')}</span> : null}
    </td>
  );
}

function LogRow({ entry, onSelect }: { entry: RequestLogEntry; onSelect(): void }) {
  const t = useMessages(requestsMessages);
  const { locale } = useLocale();
  const when = timeParts(entry.createdAt, locale);
  return (
    <tr
      className={entry.fallback ? 'request-row request-row-fallback' : 'request-row'}
      data-request-id={entry.requestId}
      onClick={onSelect}
    >
      <td>
        <button
          type="button"
          className="link-button"
          title={t('openDetails')}
          onClick={(event) => {
            // The row's own click handler opens it too; once is enough.
            event.stopPropagation();
            onSelect();
          }}
        >
          {when.time}
        </button>
        <span className="request-subline">{when.date}</span>
      </td>
      <td data-column="model">
        <code>{entry.requestedModel}</code>
        {entry.servedModel === entry.requestedModel ? null : (
          <span className="served-by">
            {t('servedBy')} <code>{entry.servedModel}</code>
          </span>
        )}
      </td>
      <td data-column="fallback">
        {entry.fallback ? <span className="badge badge-fallback">{t('yes')}</span> : t('no')}
      </td>
      <td data-column="status">
        <span className={statusClass(entry.status)}>{statusText(t, entry.status)}</span>
        {entry.errorCode === null ? null : (
          <span className="request-subline">
            <code>{entry.errorCode}</code>
          </span>
        )}
      </td>
      <TokensCell entry={entry} />
      <td className="number" data-column="cost">
        <Money amount={entry.cost} currency={entry.currency} />
      </td>
      <td className="number">{formatMilliseconds(entry.ttftMs, locale)}</td>
      <td className="number">{formatMilliseconds(entry.totalMs, locale)}</td>
      <td className="number">{formatRate(entry.tokensPerSecond, locale)}</td>
      <td data-column="estimated">
        {entry.estimated ? (
          <span className="badge badge-estimated" title={t('estimatedHint')}>
            {t('yes')}
          </span>
        ) : (
          <span className="muted">{t('no')}</span>
        )}
      </td>
    </tr>
  );
}

/** The log, newest first; a row (or its time) opens the detail view. */
export function RequestLogTable({
  entries,
  onSelect,
}: {
  entries: readonly RequestLogEntry[];
  onSelect(entry: RequestLogEntry): void;
}) {
  const t = useMessages(requestsMessages);
  return (
    <div className="table-scroll">
      <table className="request-table" data-testid="request-log">
        <thead>
          <tr>
            <th scope="col">{t('colTime')}</th>
            <th scope="col">{t('colModel')}</th>
            <th scope="col">{t('colFallback')}</th>
            <th scope="col">{t('colStatus')}</th>
            <th scope="col" className="number">
              {t('colTokens')}
            </th>
            <th scope="col" className="number">
              {t('colCost')}
            </th>
            <th scope="col" className="number">
              {t('colTtft')}
            </th>
            <th scope="col" className="number">
              {t('colTotal')}
            </th>
            <th scope="col" className="number">
              {t('colRate')}
            </th>
            <th scope="col">{t('colEstimated')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <LogRow key={entry.requestId} entry={entry} onSelect={() => onSelect(entry)} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
