import { useCallback, useEffect, useRef, useState } from 'react';

export interface QueryState<Data> {
  data: Data | null;
  error: unknown;
  loading: boolean;
  /** Loads again (after a change, or from a poll). Keeps the old data while loading. */
  reload(): void;
}

/**
 * Loads once on mount and whenever `dependencies` change; `pollMs` reloads on a timer (paused while
 * the tab is hidden). An answer that arrives after a newer request started is dropped.
 */
export function useApiQuery<Data>(
  load: () => Promise<Data>,
  dependencies: readonly unknown[],
  options: { pollMs?: number } = {},
): QueryState<Data> {
  const [data, setData] = useState<Data | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const reload = useCallback(() => {
    const mine = ++generation.current;
    setLoading(true);
    loadRef
      .current()
      .then((next) => {
        if (mine !== generation.current) return;
        setData(next);
        setError(null);
      })
      .catch((failure: unknown) => {
        if (mine === generation.current) setError(failure);
      })
      .finally(() => {
        if (mine === generation.current) setLoading(false);
      });
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller lists what the load reads.
  useEffect(reload, dependencies);

  const { pollMs } = options;
  useEffect(() => {
    if (pollMs === undefined) return;
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') reload();
    }, pollMs);
    return () => window.clearInterval(timer);
  }, [pollMs, reload]);

  return { data, error, loading, reload };
}
