import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMetricsRegistry } from './metrics-registry.ts';

test('counters, histograms and gauges render in the Prometheus text format', () => {
  const registry = createMetricsRegistry();
  const requests = registry.counter({
    name: 'demo_requests_total',
    help: 'Requests.',
    labelNames: ['model', 'status'],
  });
  requests.add(['gpt-4.1', 'ok'], 1);
  requests.add(['gpt-4.1', 'ok'], 2);
  requests.add(['say "hi"\\', 'error'], 1);
  const latency = registry.histogram({
    name: 'demo_seconds',
    help: 'Latency\nin seconds.',
    labelNames: ['model'],
    buckets: [0.1, 1],
  });
  latency.observe(['m'], 0.05);
  latency.observe(['m'], 0.1);
  latency.observe(['m'], 0.5);
  latency.observe(['m'], 7);
  registry.gauge({ name: 'demo_in_flight', help: 'Open.', labelNames: [] }, () => [
    { labels: [], value: 3 },
  ]);
  assert.equal(
    registry.render(),
    [
      '# HELP demo_requests_total Requests.',
      '# TYPE demo_requests_total counter',
      'demo_requests_total{model="gpt-4.1",status="ok"} 3',
      'demo_requests_total{model="say \\"hi\\"\\\\",status="error"} 1',
      '# HELP demo_seconds Latency\\nin seconds.',
      '# TYPE demo_seconds histogram',
      'demo_seconds_bucket{model="m",le="0.1"} 2',
      'demo_seconds_bucket{model="m",le="1"} 3',
      'demo_seconds_bucket{model="m",le="+Inf"} 4',
      'demo_seconds_sum{model="m"} 7.65',
      'demo_seconds_count{model="m"} 4',
      '# HELP demo_in_flight Open.',
      '# TYPE demo_in_flight gauge',
      'demo_in_flight 3',
      '',
    ].join('\n'),
  );
});
