/**
 * The base class of windowed bolts (Storm's BaseWindowedBolt): say what windows you want with the
 * fluent `with…` methods, implement `execute(window, collector)`, and register the bolt wrapped
 * by `windowed(bolt)`, which turns it into a plain Bolt the runtime runs like any other.
 *
 *   // sliding processing-time window: the last 10 s, every 2 s
 *   new MyBolt().withWindow({ durationMs: 10_000 }, { durationMs: 2_000 })
 *   // event-time tumbling window of 1 min on field 'ts', 5 s lag, late tuples on stream 'late'
 *   new MyBolt().withTumblingWindow({ durationMs: 60_000 }).withTimestampField('ts').withLag(5_000).withLateTupleStream('late')
 *
 * Inside execute, emits without anchors (`collector.emit(null, values)`) are anchored to every
 * tuple of the window; pass explicit anchors to anchor to fewer, or `[]` for an unanchored emit.
 * Input tuples are acked by the executor when they have left every window; do not ack them.
 */
import type { OutputCollector } from '../api/bolt.js';
import type { ResolvedConfig, TopologyConfig } from '../api/config.js';
import type { TopologyContext } from '../api/context.js';
import type { OutputFieldsDeclarer } from '../builder/components.js';
import { InvalidWindowConfigError } from './errors.js';
import { MAX_WINDOW_TUPLES } from './limits.js';
import {
  checkLength,
  checkMs,
  DEFAULT_WINDOW_SETTINGS,
  LAG_RANGE_MS,
  WATERMARK_INTERVAL_RANGE_MS,
  type CountLength,
  type DurationLength,
  type TimestampExtractor,
  type WindowLength,
  type WindowSettings,
} from './window-config.js';
import type { TupleWindow } from './window.js';

export abstract class BaseWindowedBolt {
  private settings: WindowSettings = DEFAULT_WINDOW_SETTINGS;

  abstract declareOutputFields(declarer: OutputFieldsDeclarer): void;

  /** Called once per window firing, windows in order of their end. */
  abstract execute(window: TupleWindow, collector: OutputCollector): void | Promise<void>;

  prepare(_config: ResolvedConfig, _context: TopologyContext, _collector: OutputCollector): void | Promise<void> {}

  cleanup(): void | Promise<void> {}

  /** The bolt's own component configuration; the executor adds the tick frequency it needs. */
  getComponentConfiguration(): TopologyConfig | undefined {
    return undefined;
  }

  /**
   * A sliding window of `length`, firing every `slide`. Count windows slide by one tuple when
   * no slide is given (as in Storm); duration windows need an explicit slide.
   */
  withWindow(length: CountLength, slide?: CountLength): this;
  withWindow(length: DurationLength, slide: DurationLength): this;
  withWindow(length: WindowLength, slide?: WindowLength): this {
    checkLength('length', length);
    if (slide === undefined && 'durationMs' in length) throw new InvalidWindowConfigError(undefined, 'slide', slide, '{ durationMs: n } for a duration window (or use withTumblingWindow)');
    const effectiveSlide = slide ?? { count: 1 };
    checkLength('slide', effectiveSlide);
    return this.set({ length, slide: effectiveSlide });
  }

  /** A tumbling window: consecutive windows of `length`, each tuple in exactly one. */
  withTumblingWindow(length: WindowLength): this {
    checkLength('length', length);
    return this.set({ length, slide: length });
  }

  /** Event time from a numeric field of each tuple (ms). */
  withTimestampField(field: string): this {
    if (typeof field !== 'string' || field.length === 0) throw new InvalidWindowConfigError(undefined, 'timestampField', field, 'a field name');
    return this.set({ timestamp: { field } });
  }

  /** Event time computed from each tuple (ms). */
  withTimestampExtractor(extractor: TimestampExtractor): this {
    if (typeof extractor !== 'function') throw new InvalidWindowConfigError(undefined, 'timestampExtractor', extractor, 'a function (tuple) => ms');
    return this.set({ timestamp: { extractor } });
  }

  /** How far behind the newest event time the watermark trails: how out of order tuples may come. */
  withLag(lagMs: number): this {
    checkMs('lagMs', lagMs, ...LAG_RANGE_MS);
    return this.set({ lagMs });
  }

  /** How often the watermark is recomputed (and ticks arrive) with event time. */
  withWatermarkInterval(intervalMs: number): this {
    checkMs('watermarkIntervalMs', intervalMs, ...WATERMARK_INTERVAL_RANGE_MS);
    return this.set({ watermarkIntervalMs: intervalMs });
  }

  /** Late tuples are emitted on this stream (fields LATE_TUPLE_FIELDS) instead of being dropped. */
  withLateTupleStream(streamId: string): this {
    if (typeof streamId !== 'string' || streamId.length === 0) throw new InvalidWindowConfigError(undefined, 'lateTupleStream', streamId, 'a stream id');
    return this.set({ lateTupleStream: streamId });
  }

  /** Bound on buffered tuples (default and maximum MAX_WINDOW_TUPLES); beyond it the oldest are failed. */
  withMaxBufferedTuples(maxTuples: number): this {
    if (!Number.isInteger(maxTuples) || maxTuples < 1 || maxTuples > MAX_WINDOW_TUPLES) throw new InvalidWindowConfigError(undefined, 'maxBufferedTuples', maxTuples, `an integer in 1..${MAX_WINDOW_TUPLES}`);
    return this.set({ maxBufferedTuples: maxTuples });
  }

  /** The settings so far (read by the executor). */
  get windowSettings(): WindowSettings {
    return this.settings;
  }

  private set(changes: Partial<WindowSettings>): this {
    this.settings = Object.freeze({ ...this.settings, ...changes });
    return this;
  }
}
