/**
 * Event-time windows: an item's time comes from the item (a field or an extractor, applied by the
 * caller), windows fire when the watermark passes their end, and items older than the watermark
 * are late. Pure: timestamps and sources are passed in; the watermark moves only when
 * `advanceWatermark` is called (the executor does so every watermark interval).
 *
 * Guarantees: an item accepted here appears in exactly the fired windows whose range covers its
 * timestamp; a late item (timestamp below the watermark) is refused and reported, never silently
 * put in a window that already fired.
 */
import { MAX_WATERMARK_SOURCES, MAX_WINDOW_TUPLES } from './limits.js';
import { TimeWindowManager } from './time-window-manager.js';
import { WatermarkTracker } from './watermark-tracker.js';
import type { WindowAdvance } from './window.js';

export interface EventTimeOptions {
  readonly lengthMs: number;
  readonly slideMs: number;
  readonly lagMs: number;
  readonly maxTuples?: number;
  readonly maxSources?: number;
}

export type EventTimeAddResult<T> = { readonly late: false; readonly evicted: readonly T[] } | { readonly late: true; readonly watermarkMs: number };

export class EventTimeWindowManager<T> {
  private readonly windows: TimeWindowManager<T>;
  private readonly tracker: WatermarkTracker;

  constructor(options: EventTimeOptions) {
    this.windows = new TimeWindowManager<T>(options.lengthMs, options.slideMs, options.maxTuples ?? MAX_WINDOW_TUPLES);
    this.tracker = new WatermarkTracker(options.lagMs, options.maxSources ?? MAX_WATERMARK_SOURCES);
  }

  get size(): number {
    return this.windows.size;
  }

  get watermarkMs(): number {
    return this.tracker.watermarkMs;
  }

  /** Adds an item of event time `timestampMs` sent by `source` (e.g. "component:task"). */
  add(item: T, source: string, timestampMs: number): EventTimeAddResult<T> {
    this.tracker.track(source, timestampMs);
    const result = this.windows.add(item, timestampMs);
    return result.late ? { late: true, watermarkMs: result.progressMs } : result;
  }

  /** Recomputes the watermark and fires every window that ends by it. */
  advanceWatermark(): WindowAdvance<T> {
    return this.windows.advance(this.tracker.compute());
  }
}
