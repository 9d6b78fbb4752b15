import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
} from 'react';
import { z } from 'zod';
import { ConsoleApiError } from '../api/console-api-error.ts';
import { consoleApi, setCsrfToken } from '../api/console-client.ts';
import {
  type ConsoleSession,
  type ConsoleUser,
  consoleUserSchema,
  sessionProbeSchema,
  sessionSchema,
} from '../api/console-schemas.ts';
import { isLocale, type Locale, readSavedLocale } from '../i18n/locale.ts';
import { useLocale } from '../i18n/locale-context.tsx';

type SessionStatus = 'loading' | 'signed-in' | 'signed-out';

interface SessionState {
  status: SessionStatus;
  user: ConsoleUser | null;
  /** Whether the operator lets visitors sign up (`console.selfSignup`). */
  selfSignup: boolean;
  /**
   * Why the session ended under the user (the API's 401 or 403: expired, signed out elsewhere,
   * account disabled), for the login form to say; null after a sign-in or the user's own logout.
   */
  endedBy: ConsoleApiError | null;
  /** After signup or login: the answer carries the session. */
  signIn(session: ConsoleSession): void;
  /** Reloads `/me` (balance after a redemption, say). */
  refresh(): Promise<void>;
  signOut(): Promise<void>;
  /**
   * The language switch: applies it here and, when signed in, saves it as the account's, so the
   * user's other browsers open in it too.
   */
  chooseLocale(locale: Locale): void;
}

/** How often the signed-in user's balance is reloaded for the header. */
const SESSION_REFRESH_MS = 5000;

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<SessionStatus>('loading');
  const [user, setUser] = useState<ConsoleUser | null>(null);
  const [selfSignup, setSelfSignup] = useState(true);
  const [endedBy, setEndedBy] = useState<ConsoleApiError | null>(null);
  const { setLocale } = useLocale();

  const signIn = useCallback(
    (session: ConsoleSession) => {
      setCsrfToken(session.csrfToken);
      // The account's saved language wins over the browser's only when nothing was chosen here.
      if (isLocale(session.user.locale) && readSavedLocale() === null) {
        setLocale(session.user.locale);
      }
      // The same user again (a poll with nothing new) keeps its identity, so nothing re-renders.
      setUser((previous) =>
        previous !== null && JSON.stringify(previous) === JSON.stringify(session.user)
          ? previous
          : session.user,
      );
      setStatus('signed-in');
      setEndedBy(null);
    },
    [setLocale],
  );

  const refresh = useCallback(async () => {
    try {
      signIn(await consoleApi.get('/me', sessionSchema));
    } catch (error) {
      if (error instanceof ConsoleApiError && (error.status === 401 || error.status === 403)) {
        setEndedBy(error);
        setCsrfToken(null);
        setUser(null);
        setStatus('signed-out');
        return;
      }
      throw error;
    }
  }, [signIn]);

  useEffect(() => {
    consoleApi
      .get('/session', sessionProbeSchema)
      .then((session) => {
        setSelfSignup(session.selfSignup);
        if (!session.signedIn) {
          setCsrfToken(null);
          setStatus('signed-out');
          return;
        }
        signIn(session);
      })
      .catch(() => {
        setCsrfToken(null);
        setStatus('signed-out');
      });
  }, [signIn]);

  // The header shows the balance on every page: keep it current while the console is open.
  useEffect(() => {
    if (status !== 'signed-in') return;
    const timer = window.setInterval(() => {
      if (document.visibilityState !== 'visible') return;
      // A failed poll keeps the last balance on screen; the next poll (or any page action) retries.
      refresh().catch(() => {});
    }, SESSION_REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [status, refresh]);

  const value = useMemo<SessionState>(
    () => ({
      status,
      user,
      selfSignup,
      endedBy,
      signIn,
      refresh,
      chooseLocale(next) {
        setLocale(next);
        if (status !== 'signed-in') return;
        // Best effort: if saving fails, the language still changes here (and is kept locally).
        consoleApi
          .patch('/me', { locale: next }, localeSavedSchema)
          .then(({ user: saved }) => setUser(saved))
          .catch(() => {});
      },
      async signOut() {
        try {
          await consoleApi.post('/logout', {}, sessionLogoutSchema);
        } finally {
          setCsrfToken(null);
          setUser(null);
          setStatus('signed-out');
        }
      },
    }),
    [status, user, selfSignup, endedBy, signIn, refresh, setLocale],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

const sessionLogoutSchema = z.object({ loggedOut: z.boolean() });
const localeSavedSchema = z.object({ user: consoleUserSchema });

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (state === null) throw new Error('useSession outside SessionProvider');
  return state;
}

/** The signed-in user; only for pages rendered behind the sign-in gate. */
export function useUser(): ConsoleUser {
  const { user } = useSession();
  if (user === null) throw new Error('useUser without a signed-in user');
  return user;
}
