import { consoleApi } from '../api/console-client.ts';
import { modelCatalogueSchema } from '../api/models-schemas.ts';
import { useApiQuery } from '../api/use-api-query.ts';
import { ErrorBanner } from '../components/error-banner.tsx';
import { ModelCatalogueTable } from '../components/models/model-catalogue-table.tsx';
import { MonthlyCostComparison } from '../components/models/monthly-cost-comparison.tsx';
import { formatMoney } from '../format/format-money.ts';
import { useLocale, useMessages } from '../i18n/locale-context.tsx';
import { commonMessages } from '../i18n/messages/common-messages.ts';
import { modelsMessages } from '../i18n/messages/models-messages.ts';
import './models-page.css';

/** `/models`: the catalogue with prices in USD and won, and the monthly cost comparison. */
export function ModelsPage() {
  const t = useMessages(modelsMessages);
  const common = useMessages(commonMessages);
  const { locale } = useLocale();
  const catalogue = useApiQuery(() => consoleApi.get('/models', modelCatalogueSchema), []);
  const data = catalogue.data;
  return (
    <section className="models-page">
      <h1>{t('title')}</h1>
      <ErrorBanner error={catalogue.error} />
      {data === null ? (
        catalogue.loading ? (
          <p className="muted">{common('loading')}</p>
        ) : null
      ) : (
        <>
          <div className="models-intro">
            <p className="hint">{t('intro', { currency: data.currency })}</p>
            <p className="exchange-rate" data-testid="exchange-rate">
              <span className="muted">{t('exchangeRate')}</span>{' '}
              <strong>
                {t('exchangeRateValue', {
                  rate: formatMoney(data.exchangeRate, data.currency, locale),
                })}
              </strong>
            </p>
          </div>
          {data.data.length === 0 ? (
            <p className="muted">{t('noModels')}</p>
          ) : (
            <>
              <h2>{t('catalogueHeading')}</h2>
              <ModelCatalogueTable catalogue={data} />
              <MonthlyCostComparison catalogue={data} />
            </>
          )}
        </>
      )}
    </section>
  );
}
