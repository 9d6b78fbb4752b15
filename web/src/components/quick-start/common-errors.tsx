import type { ReactNode } from 'react';
import { useMessages } from '../../i18n/locale-context.tsx';
import { quickStartMessages } from '../../i18n/messages/quick-start-messages.ts';
import { Link } from '../../router/router.tsx';
import { withCodeSpans } from './with-code-spans.tsx';

type MessageKey = keyof typeof quickStartMessages.en;

interface CommonError {
  status: number;
  code: string;
  meaning: MessageKey;
  fix: MessageKey;
  /** The console page where it is fixed, if there is one. */
  link?: { to: string; label: MessageKey };
}

// The codes and what the gateway does are those of docs/errors.md.
const COMMON_ERRORS: readonly CommonError[] = [
  {
    status: 401,
    code: 'invalid_api_key',
    meaning: 'error401Meaning',
    fix: 'error401Fix',
    link: { to: '/keys', label: 'keysLink' },
  },
  {
    status: 402,
    code: 'insufficient_balance',
    meaning: 'error402Meaning',
    fix: 'error402Fix',
    link: { to: '/credits', label: 'creditsLink' },
  },
  {
    status: 404,
    code: 'model_not_found',
    meaning: 'error404Meaning',
    fix: 'error404Fix',
    link: { to: '/models', label: 'modelsPageLink' },
  },
  {
    status: 429,
    code: 'rate_limit_exceeded',
    meaning: 'error429Meaning',
    fix: 'error429Fix',
  },
];

function Field({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="error-field">
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** 401, 402, 404 and 429: what each means on this gateway and what the caller should do. */
export function CommonErrors() {
  const t = useMessages(quickStartMessages);
  return (
    <section aria-labelledby="common-errors-heading">
      <h2 id="common-errors-heading">{t('errorsHeading')}</h2>
      <p className="hint">{withCodeSpans(t('errorsIntro'))}</p>
      <div className="error-grid">
        {COMMON_ERRORS.map((error) => (
          <article
            key={error.code}
            className="card error-card"
            data-testid={`error-${error.status}`}
          >
            <h3>
              <span className="error-status">{error.status}</span> <code>{error.code}</code>
            </h3>
            <dl>
              <Field term={t('errorMeaning')}>{withCodeSpans(t(error.meaning))}</Field>
              <Field term={t('errorFix')}>
                {withCodeSpans(t(error.fix))}{' '}
                {error.link === undefined ? null : (
                  <>
                    {t('seeAlso')} <Link to={error.link.to}>{t(error.link.label)}</Link>
                  </>
                )}
              </Field>
            </dl>
          </article>
        ))}
      </div>
    </section>
  );
}
