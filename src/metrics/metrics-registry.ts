/**
 * A minimal Prometheus registry: counters and histograms keyed by label values, gauges read at
 * scrape time, rendered in the text exposition format 0.0.4. Hand-written rather than prom-client
 * because recording sits on the request path: one Map lookup and a few additions per observation.
 */
export interface MetricsRegistry {
  counter(definition: MetricDefinition): Counter;
  histogram(definition: MetricDefinition & { buckets: readonly number[] }): Histogram;
  /** A gauge whose samples `collect` produces at each scrape. */
  gauge(definition: MetricDefinition, collect: () => readonly GaugeSample[]): void;
  /** The whole registry in the Prometheus text format. */
  render(): string;
}

export interface MetricDefinition {
  name: string;
  help: string;
  labelNames: readonly string[];
}

export interface Counter {
  /** `labels` in the order of `labelNames`. */
  add(labels: readonly string[], value: number): void;
}

export interface Histogram {
  observe(labels: readonly string[], value: number): void;
}

export interface GaugeSample {
  labels: readonly string[];
  value: number;
}

interface CounterSeries {
  labels: readonly string[];
  value: number;
}

interface HistogramSeries {
  labels: readonly string[];
  /** Per bucket (not cumulative); the last slot is +Inf. */
  counts: number[];
  sum: number;
  count: number;
}

/** Label values are joined with a separator no model name or status contains. */
const KEY_SEPARATOR = '\u0000';

export function createMetricsRegistry(): MetricsRegistry {
  const renderers: (() => string)[] = [];

  return {
    counter(definition) {
      const series = new Map<string, CounterSeries>();
      renderers.push(() =>
        renderFamily(
          definition,
          'counter',
          [...series.values()].map((entry) =>
            sampleLine(definition.name, definition.labelNames, entry.labels, entry.value),
          ),
        ),
      );
      return {
        add(labels, value) {
          const key = labels.join(KEY_SEPARATOR);
          const entry = series.get(key);
          if (entry === undefined) series.set(key, { labels: [...labels], value });
          else entry.value += value;
        },
      };
    },
    histogram(definition) {
      const { buckets } = definition;
      const series = new Map<string, HistogramSeries>();
      renderers.push(() =>
        renderFamily(
          definition,
          'histogram',
          [...series.values()].flatMap((entry) => histogramLines(definition, entry)),
        ),
      );
      return {
        observe(labels, value) {
          const key = labels.join(KEY_SEPARATOR);
          let entry = series.get(key);
          if (entry === undefined) {
            entry = {
              labels: [...labels],
              counts: new Array(buckets.length + 1).fill(0),
              sum: 0,
              count: 0,
            };
            series.set(key, entry);
          }
          let index = 0;
          while (index < buckets.length && value > (buckets[index] as number)) index += 1;
          entry.counts[index] = (entry.counts[index] ?? 0) + 1;
          entry.sum += value;
          entry.count += 1;
        },
      };
    },
    gauge(definition, collect) {
      renderers.push(() =>
        renderFamily(
          definition,
          'gauge',
          collect().map((sample) =>
            sampleLine(definition.name, definition.labelNames, sample.labels, sample.value),
          ),
        ),
      );
    },
    render() {
      return renderers.map((render) => render()).join('');
    },
  };
}

function histogramLines(
  definition: MetricDefinition & { buckets: readonly number[] },
  entry: HistogramSeries,
): string[] {
  const lines: string[] = [];
  const bucketLabels = [...definition.labelNames, 'le'];
  let cumulative = 0;
  definition.buckets.forEach((bound, index) => {
    cumulative += entry.counts[index] ?? 0;
    lines.push(
      sampleLine(
        `${definition.name}_bucket`,
        bucketLabels,
        [...entry.labels, formatValue(bound)],
        cumulative,
      ),
    );
  });
  lines.push(
    sampleLine(`${definition.name}_bucket`, bucketLabels, [...entry.labels, '+Inf'], entry.count),
    sampleLine(`${definition.name}_sum`, definition.labelNames, entry.labels, entry.sum),
    sampleLine(`${definition.name}_count`, definition.labelNames, entry.labels, entry.count),
  );
  return lines;
}

function renderFamily(definition: MetricDefinition, type: string, lines: string[]): string {
  return `# HELP ${definition.name} ${escapeHelp(definition.help)}\n# TYPE ${definition.name} ${type}\n${lines.join('')}`;
}

function sampleLine(
  name: string,
  labelNames: readonly string[],
  labels: readonly string[],
  value: number,
): string {
  if (labelNames.length === 0) return `${name} ${formatValue(value)}\n`;
  const pairs = labelNames.map((label, index) => `${label}="${escapeLabel(labels[index] ?? '')}"`);
  return `${name}{${pairs.join(',')}} ${formatValue(value)}\n`;
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function escapeHelp(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}
