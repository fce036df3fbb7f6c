/**
 * Counters and latencies of one component, summed over its tasks in this process: what Storm's UI
 * shows per component (emitted, transferred, acked, failed, execute latency, complete latency).
 * Kept as plain numbers on the hot path; the Prometheus exporter reads them at scrape time.
 * Latencies are sampled into a fixed reservoir, so memory stays bounded however long it runs.
 */
import { LATENCY_RESERVOIR_SIZE } from './limits.js';

export class LatencyReservoir {
  private readonly samples = new Float64Array(LATENCY_RESERVOIR_SIZE);
  private seen = 0;
  private total = 0;

  record(latencyMs: number): void {
    const index = this.seen < this.samples.length ? this.seen : Math.floor(Math.random() * (this.seen + 1));
    if (index < this.samples.length) this.samples[index] = latencyMs;
    this.seen++;
    this.total += latencyMs;
  }

  get count(): number {
    return this.seen;
  }

  get meanMs(): number {
    return this.seen === 0 ? 0 : this.total / this.seen;
  }

  /** The q-quantile (0..1) of the sampled latencies; 0 when nothing was recorded. */
  quantile(q: number): number {
    const size = Math.min(this.seen, this.samples.length);
    if (size === 0) return 0;
    const sorted = this.samples.slice(0, size).sort();
    return sorted[Math.min(size - 1, Math.floor(q * size))] ?? 0;
  }
}

/** Emits of one component on one stream. */
export interface StreamCounter {
  emitted: number;
}

export class ComponentStats {
  readonly emittedByStream = new Map<string, StreamCounter>();
  transferred = 0;
  acked = 0;
  failed = 0;
  executed = 0;
  errors = 0;
  lastError: string | undefined;
  /** Sum of execute time over `executed` tuples, in ms. */
  executeMsTotal = 0;
  readonly completeLatency = new LatencyReservoir();

  constructor(
    readonly componentId: string,
    readonly kind: 'spout' | 'bolt' | 'acker',
  ) {}

  /** The counter of `streamId`, for the emitting tasks to bump directly. */
  streamCounter(streamId: string): StreamCounter {
    let counter = this.emittedByStream.get(streamId);
    if (counter === undefined) {
      counter = { emitted: 0 };
      this.emittedByStream.set(streamId, counter);
    }
    return counter;
  }

  get emitted(): number {
    let sum = 0;
    for (const counter of this.emittedByStream.values()) sum += counter.emitted;
    return sum;
  }

  snapshot(): ComponentStatsSnapshot {
    return {
      componentId: this.componentId,
      kind: this.kind,
      emitted: this.emitted,
      transferred: this.transferred,
      acked: this.acked,
      failed: this.failed,
      executed: this.executed,
      errors: this.errors,
      lastError: this.lastError,
      executeLatencyMs: this.executed === 0 ? 0 : this.executeMsTotal / this.executed,
      completeLatencyMs: {
        mean: this.completeLatency.meanMs,
        p50: this.completeLatency.quantile(0.5),
        p99: this.completeLatency.quantile(0.99),
      },
    };
  }
}

export interface ComponentStatsSnapshot {
  readonly componentId: string;
  readonly kind: 'spout' | 'bolt' | 'acker';
  readonly emitted: number;
  readonly transferred: number;
  readonly acked: number;
  readonly failed: number;
  readonly executed: number;
  readonly errors: number;
  readonly lastError: string | undefined;
  readonly executeLatencyMs: number;
  readonly completeLatencyMs: { readonly mean: number; readonly p50: number; readonly p99: number };
}
