import {
  type AnchorHTMLAttributes,
  createContext,
  type MouseEvent,
  type ReactNode,
  useContext,
  useEffect,
  useMemo,
  useState,
} from 'react';

/** Where the console lives on the gateway (Vite's `base`, without the trailing slash). */
export const CONSOLE_BASE = '/console';

export interface Route {
  /** The path inside the console: `/`, `/keys`, `/admin/accounts`. */
  path: string;
  query: URLSearchParams;
}

interface RouterState {
  route: Route;
  navigate(to: string, options?: { replace?: boolean }): void;
}

const RouterContext = createContext<RouterState | null>(null);

function readRoute(): Route {
  const { pathname, search } = window.location;
  let path = pathname.startsWith(CONSOLE_BASE) ? pathname.slice(CONSOLE_BASE.length) : pathname;
  if (path === '' || path === '/index.html') path = '/';
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return { path, query: new URLSearchParams(search) };
}

/** A small history-API router: the console has a dozen flat pages, no nested layouts. */
export function RouterProvider({ children }: { children: ReactNode }) {
  const [route, setRoute] = useState<Route>(readRoute);
  useEffect(() => {
    const onPopState = () => setRoute(readRoute());
    window.addEventListener('popstate', onPopState);
    return () => window.removeEventListener('popstate', onPopState);
  }, []);
  const value = useMemo<RouterState>(
    () => ({
      route,
      navigate(to, options) {
        const url = `${CONSOLE_BASE}${to === '/' ? '/' : to}`;
        if (options?.replace === true) window.history.replaceState(null, '', url);
        else window.history.pushState(null, '', url);
        setRoute(readRoute());
        window.scrollTo(0, 0);
      },
    }),
    [route],
  );
  return <RouterContext.Provider value={value}>{children}</RouterContext.Provider>;
}

export function useRouter(): RouterState {
  const state = useContext(RouterContext);
  if (state === null) throw new Error('useRouter outside RouterProvider');
  return state;
}

/** An in-console link: a real `<a href>` (open in a new tab works) that navigates without reload. */
export function Link({
  to,
  children,
  ...rest
}: { to: string; children: ReactNode } & Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'>) {
  const { navigate } = useRouter();
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={`${CONSOLE_BASE}${to}`} onClick={onClick} {...rest}>
      {children}
    </a>
  );
}
