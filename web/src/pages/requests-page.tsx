import { useEffect, useRef, useState } from 'react';
import { consoleApi } from '../api/console-client.ts';
import {
  keyChoicesSchema,
  modelIdsSchema,
  type RequestLogEntry,
  requestLogPageSchema,
} from '../api/requests-schemas.ts';
import { useApiQuery } from '../api/use-api-query.ts';
import { ErrorBanner } from '../components/error-banner.tsx';
import { RequestDetailDialog } from '../components/requests/request-detail-dialog.tsx';
import {
  RequestFilters,
  type RequestFilterValues,
} from '../components/requests/request-filters.tsx';
import { RequestLogTable } from '../components/requests/request-log-table.tsx';
import { useMessages } from '../i18n/locale-context.tsx';
import { requestsMessages } from '../i18n/messages/requests-messages.ts';
import { Link, useRouter } from '../router/router.tsx';
import { useSession } from '../session/session-context.tsx';
import './requests-page.css';

/** The first page is polled this often while it is what the user sees (no filter, no paging). */
export const LOG_POLL_MS = 3000;
const PAGE_SIZE = 50;

function logPath(filters: RequestFilterValues, cursor?: string): string {
  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (filters.model !== '') query.set('model', filters.model);
  if (filters.keyId !== '') query.set('keyId', filters.keyId);
  if (cursor !== undefined) query.set('cursor', cursor);
  return `/requests?${query.toString()}`;
}

function filterAddress(filters: RequestFilterValues): string {
  const query = new URLSearchParams();
  if (filters.model !== '') query.set('model', filters.model);
  if (filters.keyId !== '') query.set('keyId', filters.keyId);
  const text = query.toString();
  return text === '' ? '/requests' : `/requests?${text}`;
}

/** Pages after the first, for the filters they were loaded with. */
interface LoadedMore {
  filterKey: string;
  entries: RequestLogEntry[];
  nextCursor: string | null;
}

/** The request log: filters in the address bar, live first page, "load more", detail dialog. */
export function RequestsPage() {
  const t = useMessages(requestsMessages);
  const { route, navigate } = useRouter();
  const filters: RequestFilterValues = {
    model: route.query.get('model') ?? '',
    keyId: route.query.get('keyId') ?? '',
  };
  const filterKey = `${filters.model}\n${filters.keyId}`;
  const filtered = filters.model !== '' || filters.keyId !== '';

  const [more, setMore] = useState<LoadedMore | null>(null);
  const [moreLoading, setMoreLoading] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);
  const [selected, setSelected] = useState<RequestLogEntry | null>(null);
  const extra = more?.filterKey === filterKey ? more : null;
  const live = !filtered && extra === null;

  const first = useApiQuery(
    async () => ({ filterKey, page: await consoleApi.get(logPath(filters), requestLogPageSchema) }),
    [filterKey],
    live ? { pollMs: LOG_POLL_MS } : {},
  );
  const models = useApiQuery(() => consoleApi.get('/models', modelIdsSchema), []);
  const keys = useApiQuery(() => consoleApi.get('/keys', keyChoicesSchema), []);

  // While new filters load, the old filters' rows are not shown as if they matched.
  const firstPage = first.data?.filterKey === filterKey ? first.data.page : null;
  const entries = [...(firstPage?.data ?? []), ...(extra?.entries ?? [])];
  const nextCursor = extra === null ? (firstPage?.nextCursor ?? null) : extra.nextCursor;

  const loadMore = async (cursor: string) => {
    setMoreLoading(true);
    try {
      const page = await consoleApi.get(logPath(filters, cursor), requestLogPageSchema);
      setMore({
        filterKey,
        entries: [...(extra?.entries ?? []), ...page.data],
        nextCursor: page.nextCursor,
      });
      setMoreError(null);
    } catch (failure) {
      setMoreError(failure);
    } finally {
      setMoreLoading(false);
    }
  };

  const refresh = () => {
    setMore(null);
    setMoreError(null);
    first.reload();
  };

  // A new request spent money: the header's balance should say so too.
  const { refresh: refreshSession } = useSession();
  // undefined: nothing loaded yet; null: an empty log.
  const newestId = !live || firstPage === null ? undefined : (firstPage.data[0]?.requestId ?? null);
  const seenNewest = useRef<string | null | undefined>(undefined);
  useEffect(() => {
    if (newestId === undefined) return;
    const seen = seenNewest.current;
    if (seen !== undefined && newestId !== null && seen !== newestId) void refreshSession();
    seenNewest.current = newestId;
  }, [newestId, refreshSession]);

  const selectedKey = keys.data?.data.find((key) => key.id === selected?.keyId);

  return (
    <section>
      <h1>{t('title')}</h1>
      <p className="hint requests-intro">{t('intro')}</p>
      <RequestFilters
        values={filters}
        models={models.data?.data.map((model) => model.id) ?? []}
        keys={keys.data?.data ?? []}
        onChange={(next) => navigate(filterAddress(next), { replace: true })}
        onRefresh={refresh}
      />
      <p className="hint requests-live" data-testid="log-live">
        {live ? t('live') : t('paused')}
      </p>
      <ErrorBanner error={first.error ?? models.error ?? keys.error} />
      {firstPage === null ? null : entries.length === 0 ? (
        <section className="card requests-empty" data-testid="requests-empty">
          {filtered ? (
            <p>
              {t('emptyFiltered')}{' '}
              <button
                type="button"
                className="button-secondary"
                onClick={() => navigate('/requests', { replace: true })}
              >
                {t('clearFilters')}
              </button>
            </p>
          ) : (
            <>
              <p>{t('empty')}</p>
              <p>
                <Link to="/quickstart">{t('emptyLink')}</Link>
              </p>
            </>
          )}
        </section>
      ) : (
        <>
          <RequestLogTable entries={entries} onSelect={setSelected} />
          <ErrorBanner error={moreError} />
          {nextCursor === null ? null : (
            <p className="requests-more">
              <button
                type="button"
                className="button-secondary"
                disabled={moreLoading}
                onClick={() => void loadMore(nextCursor)}
              >
                {moreLoading ? t('loadingMore') : t('loadMore')}
              </button>
            </p>
          )}
        </>
      )}
      <RequestDetailDialog
        entry={selected}
        {...(selectedKey === undefined ? {} : { keyChoice: selectedKey })}
        onClose={() => setSelected(null)}
      />
    </section>
  );
}
