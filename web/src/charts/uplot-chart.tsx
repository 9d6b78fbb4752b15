import { useEffect, useRef } from 'react';
import uPlot from 'uplot';

/** uPlot options without a size: the chart takes its container's width. */
export type ChartOptions = Omit<uPlot.Options, 'width' | 'height'>;

export interface UplotChartProps {
  /** Memoise these: new options rebuild the plot, new data only redraws it. */
  options: ChartOptions;
  data: uPlot.AlignedData;
  /** Plot height in CSS pixels (the legend comes on top of it). */
  height: number;
  /** What the chart shows, for screen readers: a canvas has no text of its own. */
  label: string;
}

// Below this a plot cannot fit its axes; a narrower container scrolls instead.
const MIN_WIDTH = 280;

function widthOf(container: HTMLElement): number {
  return Math.max(MIN_WIDTH, Math.floor(container.getBoundingClientRect().width));
}

/**
 * A uPlot chart as a React component: the plot is made in an effect (uPlot draws into a DOM node
 * React does not manage), follows its container's width, and is destroyed on unmount.
 */
export function UplotChart({ options, data, height, label }: UplotChartProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const dataRef = useRef(data);
  dataRef.current = data;

  useEffect(() => {
    const container = containerRef.current;
    if (container === null) return;
    const plot = new uPlot(
      { ...options, width: widthOf(container), height },
      dataRef.current,
      container,
    );
    plotRef.current = plot;
    const observer = new ResizeObserver(() => {
      const width = widthOf(container);
      if (width !== plot.width) plot.setSize({ width, height });
    });
    observer.observe(container);
    return () => {
      observer.disconnect();
      plot.destroy();
      plotRef.current = null;
    };
  }, [options, height]);

  useEffect(() => {
    const plot = plotRef.current;
    if (plot !== null && plot.data !== data) plot.setData(data);
  }, [data]);

  return <div ref={containerRef} className="uplot-chart" role="img" aria-label={label} />;
}
