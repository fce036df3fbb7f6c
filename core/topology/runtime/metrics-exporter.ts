/**
 * Exports the per-component figures of running topologies to a prom-client registry, read at
 * scrape time (nothing is updated on the hot path but plain counters).
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { ComponentStatsSnapshot } from './component-stats.js';

export interface StatsSource {
  /** Topology name → its components' figures. */
  topologyStats(): ReadonlyMap<string, readonly ComponentStatsSnapshot[]>;
}

type CounterField = 'emitted' | 'transferred' | 'acked' | 'failed' | 'executed' | 'errors';

const COUNTERS: readonly [CounterField, string][] = [
  ['emitted', 'Tuples emitted by the component'],
  ['transferred', 'Tuples delivered to receiving tasks (one emit to n tasks counts n)'],
  ['acked', 'Tuples acked (bolts: inputs acked; spouts: trees completed)'],
  ['failed', 'Tuples failed (bolts: inputs failed; spouts: trees failed or timed out)'],
  ['executed', 'Tuples executed by bolts (and messages handled by ackers)'],
  ['errors', 'Errors thrown or reported by user code'],
];

export function registerTopologyMetrics(registry: Registry, source: StatsSource): void {
  for (const [field, help] of COUNTERS) {
    new Counter({
      name: `barista_topology_${field}_total`,
      help,
      labelNames: ['topology', 'component'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [topology, components] of source.topologyStats()) {
          for (const stats of components) this.inc({ topology, component: stats.componentId }, stats[field]);
        }
      },
    });
  }
  new Gauge({
    name: 'barista_topology_execute_latency_ms',
    help: 'Mean execute time per tuple of a bolt, in ms',
    labelNames: ['topology', 'component'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [topology, components] of source.topologyStats()) {
        for (const stats of components) if (stats.kind === 'bolt') this.set({ topology, component: stats.componentId }, stats.executeLatencyMs);
      }
    },
  });
  new Gauge({
    name: 'barista_topology_complete_latency_ms',
    help: 'Time from a spout emit to its tuple tree being fully acked, in ms',
    labelNames: ['topology', 'component', 'quantile'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [topology, components] of source.topologyStats()) {
        for (const stats of components) {
          if (stats.kind !== 'spout') continue;
          this.set({ topology, component: stats.componentId, quantile: '0.5' }, stats.completeLatencyMs.p50);
          this.set({ topology, component: stats.componentId, quantile: '0.99' }, stats.completeLatencyMs.p99);
        }
      }
    },
  });
}
