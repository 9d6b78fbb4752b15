import { type FormEvent, useState } from 'react';
import { consoleApi } from '../api/console-client.ts';
import { sessionSchema } from '../api/console-schemas.ts';
import { ErrorBanner } from '../components/error-banner.tsx';
import { useLocale, useMessages } from '../i18n/locale-context.tsx';
import { accessMessages } from '../i18n/messages/access-messages.ts';
import { LanguageSelect } from '../layout/app-shell.tsx';
import { Link, useRouter } from '../router/router.tsx';
import { useSession } from '../session/session-context.tsx';
import { estimatePasswordStrength } from './estimate-password-strength.ts';

const STRENGTH_KEYS = ['strengthWeak', 'strengthFair', 'strengthStrong'] as const;

export function SignupPage() {
  const t = useMessages(accessMessages);
  const { locale } = useLocale();
  const { signIn, selfSignup } = useSession();
  const { navigate } = useRouter();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [mismatch, setMismatch] = useState(false);
  const [working, setWorking] = useState(false);
  const strength = estimatePasswordStrength(password);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (password !== confirmation) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    setWorking(true);
    try {
      signIn(await consoleApi.post('/signup', { email, password, locale }, sessionSchema));
      navigate('/', { replace: true });
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
        <h1>{t('signupTitle')}</h1>
        <p className="muted">{t('tagline')}</p>
        {selfSignup ? null : (
          <p className="banner banner-error" role="alert">
            {t('signupClosed')}
          </p>
        )}
        {selfSignup && (
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
                autoComplete="new-password"
                required
                minLength={10}
                aria-describedby="password-rules"
                value={password}
                onChange={(event) => setPassword(event.target.value)}
              />
            </label>
            <p id="password-rules" className="hint">
              {t('passwordRules')}
            </p>
            <label>
              {t('strengthLabel')}
              <meter min={0} max={2} low={1} high={2} optimum={2} value={strength}>
                {t(STRENGTH_KEYS[strength])}
              </meter>
              <span className="hint">{password === '' ? '' : t(STRENGTH_KEYS[strength])}</span>
            </label>
            <label>
              {t('passwordConfirm')}
              <input
                type="password"
                name="passwordConfirmation"
                autoComplete="new-password"
                required
                value={confirmation}
                onChange={(event) => setConfirmation(event.target.value)}
              />
            </label>
            {mismatch ? (
              <p className="banner banner-error" role="alert">
                {t('passwordsDiffer')}
              </p>
            ) : null}
            <ErrorBanner error={error} />
            <button type="submit" disabled={working}>
              {working ? t('working') : t('signupSubmit')}
            </button>
          </form>
        )}
        <p>
          {t('haveAccount')} <Link to="/login">{t('toLogin')}</Link>
        </p>
      </div>
    </main>
  );
}
