import { type FormEvent, useState } from 'react';
import { consoleApi } from '../api/console-client.ts';
import { sessionSchema } from '../api/console-schemas.ts';
import { ErrorBanner } from '../components/error-banner.tsx';
import { useMessages } from '../i18n/locale-context.tsx';
import { accessMessages } from '../i18n/messages/access-messages.ts';
import { LanguageSelect } from '../layout/app-shell.tsx';
import { Link, useRouter } from '../router/router.tsx';
import { useSession } from '../session/session-context.tsx';

export function LoginPage() {
  const t = useMessages(accessMessages);
  const { signIn, selfSignup, endedBy } = useSession();
  const { navigate, route } = useRouter();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [working, setWorking] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setWorking(true);
    setError(null);
    try {
      signIn(await consoleApi.post('/login', { email, password }, sessionSchema));
      if (route.path === '/login' || route.path === '/signup') navigate('/', { replace: true });
    } catch (failure) {
      setError(failure);
    } finally {
      setWorking(false);
    }
  };

  return (
    <main className="access-page">
      <div className="access-card">
        <LanguageSelect />
        <h1>{t('loginTitle')}</h1>
        <p className="muted">{t('tagline')}</p>
        <form onSubmit={onSubmit} className="form-stack">
          <label>
            {t('email')}
            <input
              type="email"
              name="email"
              autoComplete="username"
              required
              value={email}
              onChange={(event) => setEmail(event.target.value)}
            />
          </label>
          <label>
            {t('password')}
            <input
              type="password"
              name="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(event) => setPassword(event.target.value)}
            />
          </label>
          {/* This form's own failure, else why the last session ended (the user did not log out). */}
          <ErrorBanner error={error ?? endedBy} />
          <button type="submit" disabled={working}>
            {working ? t('working') : t('loginSubmit')}
          </button>
        </form>
        {selfSignup ? (
          <p>
            {t('noAccount')} <Link to="/signup">{t('toSignup')}</Link>
          </p>
        ) : (
          <p className="hint">{t('signupClosed')}</p>
        )}
      </div>
    </main>
  );
}
