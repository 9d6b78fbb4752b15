import uPlot from 'uplot';
import type { ChartOptions } from './uplot-chart.tsx';

export interface BarChartSpec {
  /** Axis titles, already in the user's language. */
  xLabel: string;
  yLabel: string;
  /** The bars' name in the legend. */
  seriesLabel: string;
  /** An x value (a category number such as the day of the month) as text. */
  formatX(value: number): string;
  /** A y tick; `increment` is the tick spacing, to choose how many decimals to show. */
  formatYTick(value: number, increment: number): string;
  /** The hovered bar's value in the legend; `index` is its data index, to show exact text. */
  formatY(value: number, index: number): string;
  color: string;
}

const AXIS_FONT = '12px system-ui, sans-serif';
const LABEL_FONT = '600 12px system-ui, sans-serif';
const GRID = { stroke: '#e6e9ef', width: 1 };

/**
 * One series of bars over whole-number x values (days, buckets), both axes titled and ticks
 * formatted by the caller, so every word and number on the canvas is in the user's language.
 */
export function barChartOptions(spec: BarChartSpec): ChartOptions {
  const bars = uPlot.paths.bars?.({ size: [0.7, 40], radius: 0.15 });
  return {
    legend: { show: true },
    cursor: { points: { show: false }, drag: { x: false, y: false } },
    scales: {
      x: {
        time: false,
        // Half a step of room on each side so the first and last bars are not cut in half.
        range: (_plot, min, max) => [min - 0.5, max + 0.5],
      },
      y: {
        range: (_plot, _min, max) => [0, max > 0 ? max * 1.15 : 1],
      },
    },
    axes: [
      {
        label: spec.xLabel,
        labelFont: LABEL_FONT,
        font: AXIS_FONT,
        grid: { show: false },
        // Whole steps only: a day 3.5 does not exist.
        incrs: [1, 2, 3, 5, 7, 10, 15, 20, 50, 100],
        values: (_plot, splits) => splits.map((value) => spec.formatX(value)),
      },
      {
        label: spec.yLabel,
        labelFont: LABEL_FONT,
        font: AXIS_FONT,
        grid: GRID,
        size: 80,
        values: (_plot, splits, _axis, _space, increment) =>
          splits.map((value) => spec.formatYTick(value, increment)),
      },
    ],
    series: [
      {
        label: spec.xLabel,
        value: (_plot, value, _series, index) => (index === null ? '—' : spec.formatX(value)),
      },
      {
        label: spec.seriesLabel,
        stroke: spec.color,
        fill: `${spec.color}cc`,
        // No outline: a day without cost then draws nothing rather than a hairline.
        width: 0,
        ...(bars === undefined ? {} : { paths: bars }),
        points: { show: false },
        value: (_plot, value, _series, index) =>
          index === null ? '—' : spec.formatY(value, index),
      },
    ],
  };
}
