import type { CatalogueModel, ModelCatalogue, PriceKind } from '../../api/models-schemas.ts';
import { formatMoney } from '../../format/format-money.ts';
import { formatCount } from '../../format/format-number.ts';
import { useLocale, useMessages } from '../../i18n/locale-context.tsx';
import { modelsMessages } from '../../i18n/messages/models-messages.ts';
import { Link } from '../../router/router.tsx';
import { formatUsdPrice } from './format-usd-price.ts';

type MessageKey = keyof typeof modelsMessages.en;

const PRICE_COLUMNS: ReadonlyArray<{ kind: PriceKind; label: MessageKey }> = [
  { kind: 'input', label: 'columnInput' },
  { kind: 'cachedInput', label: 'columnCachedInput' },
  { kind: 'cacheWrite', label: 'columnCacheWrite' },
  { kind: 'cacheWrite1h', label: 'columnCacheWrite1h' },
  { kind: 'output', label: 'columnOutput' },
];

/** One price: the wallet currency first (what is charged), the USD list price under it. */
function PriceCell({
  model,
  kind,
  currency,
}: {
  model: CatalogueModel;
  kind: PriceKind;
  currency: string;
}) {
  const t = useMessages(modelsMessages);
  const { locale } = useLocale();
  const wallet = model.pricing?.walletPerMillionTokens[kind];
  const usd = model.pricing?.usdPerMillionTokens[kind];
  if (model.free) {
    return (
      <td className="number">
        <span className="muted">{t('free')}</span>
      </td>
    );
  }
  if (wallet === undefined || usd === undefined) {
    return <td className="number muted">—</td>;
  }
  return (
    <td className="number" data-testid={`price-${kind}`}>
      <span className="price-wallet">{formatMoney(wallet, currency, locale)}</span>
      <span className="price-usd">{formatUsdPrice(usd, locale)}</span>
    </td>
  );
}

/** The catalogue: ids and aliases, provider, limits and every price the API lists. */
export function ModelCatalogueTable({ catalogue }: { catalogue: ModelCatalogue }) {
  const t = useMessages(modelsMessages);
  const { locale } = useLocale();
  // A column no model has a price for would be a column of dashes.
  const columns = PRICE_COLUMNS.filter(({ kind }) =>
    catalogue.data.some((model) => model.pricing?.usdPerMillionTokens[kind] !== undefined),
  );
  return (
    <div className="table-scroll">
      <table className="models-table">
        <caption>{t('catalogueCaption', { currency: catalogue.currency })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('columnModel')}</th>
            <th scope="col">{t('columnProvider')}</th>
            <th scope="col" className="number">
              {t('columnContext')}
            </th>
            <th scope="col" className="number">
              {t('columnMaxOutput')}
            </th>
            {columns.map((column) => (
              <th key={column.kind} scope="col" className="number">
                {t(column.label)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {catalogue.data.map((model) => (
            <tr key={model.id} data-testid={`model-row-${model.id}`}>
              <th scope="row" className="model-cell">
                <code className="model-id">{model.id}</code>
                {model.free ? <span className="badge">{t('free')}</span> : null}
                {model.aliases.length === 0 ? null : (
                  <span className="model-aliases">
                    {t('aliases', { names: model.aliases.join(', ') })}
                  </span>
                )}
                <Link
                  className="model-try"
                  to={`/quickstart?model=${encodeURIComponent(model.id)}`}
                >
                  {t('quickStartLink')}
                </Link>
              </th>
              <td>{model.ownedBy}</td>
              <td className="number">{formatCount(model.contextWindow, locale)}</td>
              <td className="number">{formatCount(model.maxOutputTokens, locale)}</td>
              {columns.map((column) => (
                <PriceCell
                  key={column.kind}
                  model={model}
                  kind={column.kind}
                  currency={catalogue.currency}
                />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
