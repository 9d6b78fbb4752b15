import { useMemo } from 'react';
import type uPlot from 'uplot';
import type { UsageReport } from '../../api/usage-schemas.ts';
import { barChartOptions } from '../../charts/bar-chart-options.ts';
import { UplotChart } from '../../charts/uplot-chart.tsx';
import { currencySymbol, formatMoney } from '../../format/format-money.ts';
import type { Locale } from '../../i18n/locale.ts';
import { useLocale, useMessages } from '../../i18n/locale-context.tsx';
import { usageMessages } from '../../i18n/messages/usage-messages.ts';
import { formatMonthDay, formatReportMonth } from './report-month.ts';

const BAR_COLOR = '#2457d6';
const CHART_HEIGHT = 240;

/** Ticks show as many decimals as their spacing needs: 0.05 steps → 2, 100 steps → 0. */
function formatTick(value: number, increment: number, locale: Locale): string {
  const digits = increment >= 1 ? 0 : Math.min(6, Math.ceil(-Math.log10(increment)));
  return value.toLocaleString(locale === 'ko' ? 'ko-KR' : 'en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** The month's cost per UTC day as bars; the legend shows the hovered day's exact amount. */
export function DailyCostChart({ report }: { report: UsageReport }) {
  const t = useMessages(usageMessages);
  const { locale } = useLocale();
  const { month, currency, days } = report;

  const options = useMemo(
    () =>
      barChartOptions({
        xLabel: t('axisDay'),
        yLabel: t('axisCost', { currency: currencySymbol(currency, locale) }),
        seriesLabel: t('seriesCost'),
        formatX: (day) => formatMonthDay(month, day, locale),
        formatYTick: (value, increment) => formatTick(value, increment, locale),
        formatY: (_value, index) => {
          const day = days[index];
          return day === undefined ? '—' : formatMoney(day.cost, currency, locale);
        },
        color: BAR_COLOR,
      }),
    [t, locale, month, currency, days],
  );
  // Floats only place the bars; every amount shown as text comes from the exact decimal strings.
  const data = useMemo<uPlot.AlignedData>(
    () => [days.map((_day, index) => index + 1), days.map((day) => Number(day.cost))],
    [days],
  );

  return (
    <UplotChart
      options={options}
      data={data}
      height={CHART_HEIGHT}
      label={t('chartLabel', {
        month: formatReportMonth(month, locale),
        total: formatMoney(report.total.cost, currency, locale),
      })}
    />
  );
}
