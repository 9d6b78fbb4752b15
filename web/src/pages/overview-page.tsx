import { LiveSpendToday } from '../components/live-spend-today.tsx';
import { Money } from '../components/money.tsx';
import { formatMoney } from '../format/format-money.ts';
import { useLocale, useMessages } from '../i18n/locale-context.tsx';
import { overviewMessages } from '../i18n/messages/overview-messages.ts';
import { Link } from '../router/router.tsx';
import { useUser } from '../session/session-context.tsx';

export function OverviewPage() {
  const t = useMessages(overviewMessages);
  const { locale } = useLocale();
  const user = useUser();
  const { balance, signupBonus } = user;
  return (
    <section>
      <h1>{t('title')}</h1>
      {signupBonus.credited ? (
        <p className="banner banner-success" data-testid="signup-bonus">
          {t('bonusCredited', {
            amount: formatMoney(signupBonus.amount, balance.currency, locale),
          })}
        </p>
      ) : null}
      <div className="card-grid">
        <section className="card">
          <h2>{t('available')}</h2>
          <p className="figure" data-testid="balance-available">
            <Money amount={balance.available} currency={balance.currency} />
          </p>
          <p className="hint">
            {t('held')}: <Money amount={balance.held} currency={balance.currency} />
          </p>
        </section>
        <LiveSpendToday />
      </div>
      <h2>{t('nextSteps')}</h2>
      <ul className="link-list">
        <li>
          <Link to="/keys">{t('stepKey')}</Link>
        </li>
        <li>
          <Link to="/quickstart">{t('stepQuickStart')}</Link>
        </li>
        <li>
          <Link to="/credits">{t('stepCredits')}</Link>
        </li>
        <li>
          <Link to="/models">{t('stepModels')}</Link>
        </li>
      </ul>
    </section>
  );
}
