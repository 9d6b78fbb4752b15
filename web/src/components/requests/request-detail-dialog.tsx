import { useEffect, useRef } from 'react';
import type { KeyChoice, RequestLogEntry } from '../../api/requests-schemas.ts';
import {
  formatCount,
  formatDateTime,
  formatMilliseconds,
  formatRate,
} from '../../format/format-number.ts';
import { useLocale, useMessages } from '../../i18n/locale-context.tsx';
import { requestsMessages } from '../../i18n/messages/requests-messages.ts';
import { Money } from '../money.tsx';
import { AttemptChain } from './attempt-chain.tsx';
import { keyText, statusClass, statusText } from './request-labels.ts';

function DetailBody({ entry, keyChoice }: { entry: RequestLogEntry; keyChoice?: KeyChoice }) {
  const t = useMessages(requestsMessages);
  const { locale } = useLocale();
  const { tokens } = entry;
  const count = (value: number) => formatCount(value, locale);
  return (
    <>
      {entry.fallback ? (
        <p className="banner banner-fallback" data-testid="fallback-summary">
          {t('fallbackSummary', { requested: entry.requestedModel, served: entry.servedModel })}
        </p>
      ) : null}
      <dl className="request-facts">
        <dt>{t('requestId')}</dt>
        <dd>
          <code>{entry.requestId}</code>
        </dd>
        <dt>{t('colTime')}</dt>
        <dd>{formatDateTime(entry.createdAt, locale)}</dd>
        <dt>{t('key')}</dt>
        <dd>{keyChoice === undefined ? <code>{entry.keyId}</code> : keyText(keyChoice)}</dd>
        <dt>{t('colRequested')}</dt>
        <dd>
          <code>{entry.requestedModel}</code>
        </dd>
        <dt>{t('colServed')}</dt>
        <dd>
          <code>{entry.servedModel}</code>
        </dd>
        <dt>{t('colStatus')}</dt>
        <dd>
          <span className={statusClass(entry.status)}>{statusText(t, entry.status)}</span>
          {entry.errorCode === null ? null : (
            <>
              {' '}
              · <code>{entry.errorCode}</code>
            </>
          )}
        </dd>
        <dt>{t('tokensDetail')}</dt>
        <dd>
          {t('tokensLine', {
            input: count(tokens.input),
            cached: count(tokens.cachedInput),
            cacheWrite: count(tokens.cacheWrite),
            output: count(tokens.output),
            reasoning: count(tokens.reasoning),
          })}
          {entry.estimated ? <span className="request-subline">{t('estimatedHint')}</span> : null}
        </dd>
        <dt>{t('colCost')}</dt>
        <dd>
          <Money amount={entry.cost} currency={entry.currency} />
        </dd>
        <dt>{t('timing')}</dt>
        <dd>
          {t('timingLine', {
            ttft: formatMilliseconds(entry.ttftMs, locale),
            total: formatMilliseconds(entry.totalMs, locale),
            rate: formatRate(entry.tokensPerSecond, locale),
          })}
        </dd>
      </dl>
      <h3>{t('attempts')}</h3>
      <p className="hint">{t('attemptsHint')}</p>
      {entry.attempts === null || entry.attempts.length === 0 ? (
        <p className="muted">{t('noAttempts')}</p>
      ) : (
        <AttemptChain attempts={entry.attempts} totalMs={entry.totalMs} />
      )}
    </>
  );
}

/** A modal `<dialog>` with one request's facts and attempt chain; Escape or Close shuts it. */
export function RequestDetailDialog({
  entry,
  keyChoice,
  onClose,
}: {
  entry: RequestLogEntry | null;
  keyChoice?: KeyChoice;
  onClose(): void;
}) {
  const t = useMessages(requestsMessages);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const open = entry !== null;
  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog === null) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={dialogRef}
      className="request-detail"
      aria-labelledby="request-detail-title"
      onClose={onClose}
    >
      <header className="request-detail-header">
        <h2 id="request-detail-title">{t('detailTitle')}</h2>
        <button
          type="button"
          className="button-secondary"
          onClick={() => dialogRef.current?.close()}
        >
          {t('close')}
        </button>
      </header>
      {entry === null ? null : (
        <DetailBody entry={entry} {...(keyChoice === undefined ? {} : { keyChoice })} />
      )}
    </dialog>
  );
}
