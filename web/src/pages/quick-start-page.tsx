import { useState } from 'react';
import { consoleApi } from '../api/console-client.ts';
import { modelCatalogueSchema } from '../api/models-schemas.ts';
import { useApiQuery } from '../api/use-api-query.ts';
import { CopyButton } from '../components/copy-button.tsx';
import { ErrorBanner } from '../components/error-banner.tsx';
import { CommonErrors } from '../components/quick-start/common-errors.tsx';
import { SnippetTabs } from '../components/quick-start/snippet-tabs.tsx';
import { withCodeSpans } from '../components/quick-start/with-code-spans.tsx';
import { useMessages } from '../i18n/locale-context.tsx';
import { quickStartMessages } from '../i18n/messages/quick-start-messages.ts';
import { Link, useRouter } from '../router/router.tsx';
import { API_KEY_PLACEHOLDER, buildQuickStartSnippets } from './build-quick-start-snippets.ts';
import './quick-start-page.css';

/** `/quickstart`: this gateway's base URL, runnable snippets and the four errors people hit first. */
export function QuickStartPage() {
  const t = useMessages(quickStartMessages);
  const { route } = useRouter();
  const catalogue = useApiQuery(() => consoleApi.get('/models', modelCatalogueSchema), []);
  const [chosen, setChosen] = useState<string | null>(null);
  const origin = window.location.origin;
  const baseUrl = `${origin}/v1`;

  const ids = catalogue.data?.data.map((model) => model.id) ?? [];
  const asked = route.query.get('model');
  const model = chosen ?? (asked !== null && ids.includes(asked) ? asked : ids[0]) ?? null;
  const snippets = model === null ? [] : buildQuickStartSnippets({ baseUrl, model });

  return (
    <section className="quick-start-page">
      <h1>{t('title')}</h1>
      <p className="hint">{t('intro')}</p>
      <ErrorBanner error={catalogue.error} />

      <section className="card connection" aria-labelledby="connection-heading">
        <h2 id="connection-heading">{t('connectionHeading')}</h2>
        <dl className="connection-list">
          <div>
            <dt>{t('baseUrl')}</dt>
            <dd className="connection-value">
              <code data-testid="base-url">{baseUrl}</code>
              <CopyButton text={baseUrl} label={t('copyBaseUrl')} />
            </dd>
          </div>
          <div>
            <dt>{t('apiKey')}</dt>
            <dd>
              <p className="connection-line">
                {withCodeSpans(t('apiKeyHint', { placeholder: API_KEY_PLACEHOLDER }))}{' '}
                <Link to="/keys">{t('apiKeyLink')}</Link> {t('apiKeyShownOnce')}
              </p>
            </dd>
          </div>
          <div>
            <dt>
              <label htmlFor="quick-start-model">{t('model')}</label>
            </dt>
            <dd>
              {model === null ? null : (
                <select
                  id="quick-start-model"
                  value={model}
                  onChange={(event) => setChosen(event.target.value)}
                >
                  {ids.map((id) => (
                    <option key={id} value={id}>
                      {id}
                    </option>
                  ))}
                </select>
              )}
              <p className="hint">
                {t('modelHint')} <Link to="/models">{t('modelsLink')}</Link>
                {t('modelHintEnd')}
              </p>
            </dd>
          </div>
        </dl>
      </section>

      {snippets.length === 0 ? null : <SnippetTabs snippets={snippets} />}

      <CommonErrors />
    </section>
  );
}
