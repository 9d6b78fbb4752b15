import type { GlobalUsage } from '../../api/admin-schemas.ts';
import { formatCount, formatShare } from '../../format/format-number.ts';
import { useLocale, useMessages } from '../../i18n/locale-context.tsx';
import { adminUsageMessages } from '../../i18n/messages/admin-usage-messages.ts';
import { Money } from '../money.tsx';

/** The month per model: requests, tokens by kind, cost and each model's share of the cost. */
export function ModelUsageTable({ report }: { report: GlobalUsage['report'] }) {
  const t = useMessages(adminUsageMessages);
  const { locale } = useLocale();
  const count = (value: number) => formatCount(value, locale);
  const { total, currency } = report;
  return (
    <div className="table-scroll">
      <table data-testid="usage-by-model">
        <thead>
          <tr>
            <th scope="col">{t('columnModel')}</th>
            <th scope="col" className="number">
              {t('columnRequests')}
            </th>
            <th scope="col" className="number">
              {t('columnInput')}
            </th>
            <th scope="col" className="number">
              {t('columnCached')}
            </th>
            <th scope="col" className="number">
              {t('columnOutput')}
            </th>
            <th scope="col" className="number">
              {t('columnReasoning')}
            </th>
            <th scope="col" className="number">
              {t('columnCost')}
            </th>
            <th scope="col">{t('columnShare')}</th>
          </tr>
        </thead>
        <tbody>
          {report.models.map((model) => {
            // Display only: the API's share is rounded percent text, never used in arithmetic.
            const share = Number(model.share) / 100;
            return (
              <tr key={model.model} data-model={model.model}>
                <th scope="row">
                  <code>{model.model}</code>
                </th>
                <td className="number">{count(model.requests)}</td>
                <td className="number">{count(model.tokens.input)}</td>
                <td className="number">{count(model.tokens.cachedInput)}</td>
                <td className="number">{count(model.tokens.output)}</td>
                <td className="number">{count(model.tokens.reasoning)}</td>
                <td className="number">
                  <Money amount={model.cost} currency={currency} />
                </td>
                <td>
                  <span className="admin-share">
                    <span className="admin-share-bar" aria-hidden="true">
                      <span style={{ width: `${Math.min(100, Math.max(0, share * 100))}%` }} />
                    </span>
                    <span className="admin-share-text">{formatShare(share, locale)}</span>
                  </span>
                </td>
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t('totalRow')}</th>
            <td className="number">{count(total.requests)}</td>
            <td className="number">{count(total.tokens.input)}</td>
            <td className="number">{count(total.tokens.cachedInput)}</td>
            <td className="number">{count(total.tokens.output)}</td>
            <td className="number">{count(total.tokens.reasoning)}</td>
            <td className="number">
              <Money amount={total.cost} currency={currency} />
            </td>
            <td />
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
