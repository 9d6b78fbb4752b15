import type { ModelUsage, UsageReport, UsageSummary } from '../../api/usage-schemas.ts';
import {
  formatCount,
  formatMilliseconds,
  formatRate,
  formatShare,
} from '../../format/format-number.ts';
import type { Translate } from '../../i18n/define-messages.ts';
import type { Locale } from '../../i18n/locale.ts';
import { useLocale, useMessages } from '../../i18n/locale-context.tsx';
import { usageMessages } from '../../i18n/messages/usage-messages.ts';
import { Money } from '../money.tsx';

function SummaryCells({
  summary,
  currency,
  locale,
  t,
}: {
  summary: UsageSummary;
  currency: string;
  locale: Locale;
  t: Translate<keyof typeof usageMessages.en>;
}) {
  const { tokens } = summary;
  return (
    <>
      <td className="number" data-column="requests">
        {formatCount(summary.requests, locale)}
        {summary.errors > 0 ? (
          <span className="usage-subline">
            {t('failedCount', { count: formatCount(summary.errors, locale) })}
          </span>
        ) : null}
      </td>
      <td className="number">{formatCount(tokens.input, locale)}</td>
      <td className="number">{formatCount(tokens.cachedInput, locale)}</td>
      <td className="number">{formatCount(tokens.cacheWrite, locale)}</td>
      <td className="number">{formatCount(tokens.output, locale)}</td>
      <td className="number">{formatCount(tokens.reasoning, locale)}</td>
      <td className="number" data-column="cost">
        <Money amount={summary.cost} currency={currency} />
      </td>
    </>
  );
}

function LatencyCells({ summary, locale }: { summary: UsageSummary; locale: Locale }) {
  return (
    <>
      <td className="number">{formatMilliseconds(summary.ttftP50Ms, locale)}</td>
      <td className="number">{formatMilliseconds(summary.ttftP95Ms, locale)}</td>
      <td className="number">{formatRate(summary.tokensPerSecondMedian, locale)}</td>
    </>
  );
}

function ShareCell({ model, locale }: { model: ModelUsage; locale: Locale }) {
  const share = model.shareBasisPoints / 10_000;
  return (
    <td className="number">
      <span className="share">
        <span className="share-bar" aria-hidden="true">
          <span style={{ width: `${share * 100}%` }} />
        </span>
        {formatShare(share, locale)}
      </span>
    </td>
  );
}

/** Requests, tokens by kind, cost, share and latency per model, with the month's totals. */
export function UsageModelTable({ report }: { report: UsageReport }) {
  const t = useMessages(usageMessages);
  const { locale } = useLocale();
  const { currency } = report;
  // 100 % when anything was spent, 0 % for a month of free models only.
  const totalShare = report.models.reduce((sum, model) => sum + model.shareBasisPoints, 0) / 10_000;
  return (
    <div className="table-scroll">
      <table className="usage-table" data-testid="usage-models">
        <thead>
          <tr>
            <th scope="col">{t('colModel')}</th>
            <th scope="col" className="number">
              {t('colRequests')}
            </th>
            <th scope="col" className="number">
              {t('colInput')}
            </th>
            <th scope="col" className="number">
              {t('colCachedInput')}
            </th>
            <th scope="col" className="number">
              {t('colCacheWrite')}
            </th>
            <th scope="col" className="number">
              {t('colOutput')}
            </th>
            <th scope="col" className="number">
              {t('colReasoning')}
            </th>
            <th scope="col" className="number">
              {t('colCost')}
            </th>
            <th scope="col" className="number">
              {t('colShare')}
            </th>
            <th scope="col" className="number">
              {t('colTtftP50')}
            </th>
            <th scope="col" className="number">
              {t('colTtftP95')}
            </th>
            <th scope="col" className="number">
              {t('colTokensPerSecond')}
            </th>
          </tr>
        </thead>
        <tbody>
          {report.models.map((model) => (
            <tr key={model.model} data-model={model.model}>
              <th scope="row">
                <code>{model.model}</code>
              </th>
              <SummaryCells summary={model} currency={currency} locale={locale} t={t} />
              <ShareCell model={model} locale={locale} />
              <LatencyCells summary={model} locale={locale} />
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr data-model="total">
            <th scope="row">{t('total')}</th>
            <SummaryCells summary={report.total} currency={currency} locale={locale} t={t} />
            <td className="number">{formatShare(totalShare, locale)}</td>
            <LatencyCells summary={report.total} locale={locale} />
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
