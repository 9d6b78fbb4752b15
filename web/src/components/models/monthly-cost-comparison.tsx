import { useId, useMemo, useState } from 'react';
import type { ModelCatalogue } from '../../api/models-schemas.ts';
import { formatMoney } from '../../format/format-money.ts';
import { useLocale, useMessages } from '../../i18n/locale-context.tsx';
import { modelsMessages } from '../../i18n/messages/models-messages.ts';
import {
  computeMonthlyCosts,
  MAX_MILLIONS,
  MAX_RATIO,
  microsToDecimalText,
  readVolume,
} from '../../pages/compute-monthly-cost.ts';
import { formatUsdPrice } from './format-usd-price.ts';

/** The comparison's starting volume, in millions of output tokens a month. */
export const DEFAULT_OUTPUT_MILLIONS = '10';

function formatTokenCount(tokens: bigint, locale: 'ko' | 'en'): string {
  return new Intl.NumberFormat(locale === 'ko' ? 'ko-KR' : 'en-US', {
    notation: 'compact',
    maximumFractionDigits: 6,
  }).format(Number(tokens));
}

/** A labelled number field whose problem, if any, is said under it and tied to it. */
function VolumeField({
  label,
  value,
  onChange,
  problem,
  hint,
}: {
  label: string;
  value: string;
  onChange(value: string): void;
  problem: string | null;
  hint?: string;
}) {
  const id = useId();
  const describedBy = [
    problem === null ? null : `${id}-problem`,
    hint === undefined ? null : `${id}-hint`,
  ]
    .filter((part) => part !== null)
    .join(' ');
  return (
    <div className="volume-field">
      <label>
        <span>{label}</span>
        <input
          type="number"
          min="0"
          step="any"
          inputMode="decimal"
          value={value}
          onChange={(event) => onChange(event.target.value)}
          aria-invalid={problem === null ? undefined : true}
          aria-describedby={describedBy === '' ? undefined : describedBy}
        />
      </label>
      {hint === undefined ? null : (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {problem === null ? null : (
        <p className="field-problem" id={`${id}-problem`} role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}

/** "Monthly cost for N million output tokens" on every model, cheapest first, with bars. */
export function MonthlyCostComparison({ catalogue }: { catalogue: ModelCatalogue }) {
  const t = useMessages(modelsMessages);
  const { locale } = useLocale();
  const [millionsText, setMillionsText] = useState(DEFAULT_OUTPUT_MILLIONS);
  const [ratioText, setRatioText] = useState('0');
  const millions = readVolume(millionsText, MAX_MILLIONS);
  const ratio = readVolume(ratioText, MAX_RATIO);
  const problemText = (reading: ReturnType<typeof readVolume>, maximum: bigint) =>
    reading.ok
      ? null
      : reading.problem === 'tooLarge'
        ? t('tooLarge', { max: maximum.toLocaleString(locale === 'ko' ? 'ko-KR' : 'en-US') })
        : t('notANumber');

  const millionsMicros = millions.ok ? millions.micros : null;
  const ratioMicros = ratio.ok ? ratio.micros : null;
  const costs = useMemo(
    () =>
      millionsMicros === null || ratioMicros === null
        ? null
        : computeMonthlyCosts({
            models: catalogue.data.map((model) => ({
              id: model.id,
              free: model.free,
              usdInput: model.pricing?.usdPerMillionTokens.input,
              usdOutput: model.pricing?.usdPerMillionTokens.output,
            })),
            exchangeRate: catalogue.exchangeRate,
            outputMillionsMicros: millionsMicros,
            inputPerOutputMicros: ratioMicros,
          }),
    [catalogue, millionsMicros, ratioMicros],
  );

  // N million tokens scaled by 10^6 is exactly the token count.
  const caption =
    millionsMicros === null || ratioMicros === null
      ? null
      : ratioMicros === 0n
        ? t('compareCaptionOutput', { output: formatTokenCount(millionsMicros, locale) })
        : t('compareCaptionBoth', {
            output: formatTokenCount(millionsMicros, locale),
            input: formatTokenCount((millionsMicros * ratioMicros) / 1_000_000n, locale),
          });

  return (
    <section className="card comparison" aria-labelledby="comparison-heading">
      <h2 id="comparison-heading">{t('compareHeading')}</h2>
      <p className="hint">{t('compareIntro')}</p>
      <div className="form-row comparison-inputs">
        <VolumeField
          label={t('outputMillions')}
          value={millionsText}
          onChange={setMillionsText}
          problem={problemText(millions, MAX_MILLIONS)}
        />
        <VolumeField
          label={t('inputRatio')}
          value={ratioText}
          onChange={setRatioText}
          problem={problemText(ratio, MAX_RATIO)}
          hint={t('inputRatioHint')}
        />
      </div>
      {costs === null || caption === null ? null : (
        <div className="table-scroll">
          <table className="comparison-table">
            <caption data-testid="comparison-caption">{caption}</caption>
            <thead>
              <tr>
                <th scope="col">{t('columnModel')}</th>
                <th scope="col" className="number">
                  {t('columnMonthly')}
                </th>
                <th scope="col" className="number">
                  {t('columnMonthlyUsd')}
                </th>
                <th scope="col" className="bar-column">
                  {t('columnBar')}
                </th>
              </tr>
            </thead>
            <tbody>
              {costs.map((cost) => (
                <tr key={cost.id} data-testid={`cost-row-${cost.id}`}>
                  <th scope="row">
                    <code className="model-id">{cost.id}</code>
                    {cost.free ? <span className="badge">{t('free')}</span> : null}
                  </th>
                  <td className="number" data-testid="monthly-cost">
                    {cost.walletMicros === null
                      ? t('noPrice')
                      : formatMoney(
                          microsToDecimalText(cost.walletMicros),
                          catalogue.currency,
                          locale,
                        )}
                  </td>
                  <td className="number muted">
                    {cost.usdMicros === null
                      ? '—'
                      : formatUsdPrice(microsToDecimalText(cost.usdMicros), locale)}
                  </td>
                  <td className="bar-column">
                    {/* The amount is in the row's text; the bar only lets the eye compare. */}
                    <span className="cost-bar" aria-hidden="true">
                      <span className="cost-bar-fill" style={{ width: `${cost.permille / 10}%` }} />
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
