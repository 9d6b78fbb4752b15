import { useEffect, useRef } from 'react';
import { consoleApi } from '../api/console-client.ts';
import { todaySchema } from '../api/today-schema.ts';
import { useApiQuery } from '../api/use-api-query.ts';
import { useLocale, useMessages } from '../i18n/locale-context.tsx';
import { overviewMessages } from '../i18n/messages/overview-messages.ts';
import { useSession } from '../session/session-context.tsx';
import { ErrorBanner } from './error-banner.tsx';
import { Money } from './money.tsx';

/** How often today's spend is polled: a request shows up within this plus one round trip. */
export const LIVE_POLL_MS = 2000;

/**
 * Today's spend, polled; when it moves, the session (header balance) is refreshed too, and
 * `onSpentChange` tells the page, whose own figures (this month's) then need reloading.
 */
export function LiveSpendToday({ onSpentChange }: { onSpentChange?: () => void } = {}) {
  const t = useMessages(overviewMessages);
  const { locale } = useLocale();
  const { refresh } = useSession();
  const today = useApiQuery(() => consoleApi.get('/usage/today', todaySchema), [], {
    pollMs: LIVE_POLL_MS,
  });
  const lastSpent = useRef<string | null>(null);
  const spentMicros = today.data?.spentMicros ?? null;
  const onSpentChangeRef = useRef(onSpentChange);
  onSpentChangeRef.current = onSpentChange;
  useEffect(() => {
    if (spentMicros === null) return;
    if (lastSpent.current !== null && lastSpent.current !== spentMicros) {
      void refresh();
      onSpentChangeRef.current?.();
    }
    lastSpent.current = spentMicros;
  }, [spentMicros, refresh]);

  return (
    <section className="card" aria-live="polite">
      <h2>{t('spentToday')}</h2>
      {today.data === null ? null : (
        <>
          <p className="figure" data-testid="spent-today">
            <Money amount={today.data.spent} currency={today.data.currency} />
          </p>
          <p className="hint">
            {t('liveHint')}{' '}
            {t('updatedAt', {
              time: new Date(today.data.at).toLocaleTimeString(locale === 'ko' ? 'ko-KR' : 'en-US'),
            })}
          </p>
        </>
      )}
      <ErrorBanner error={today.error} />
    </section>
  );
}
