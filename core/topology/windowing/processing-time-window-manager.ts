/**
 * Processing-time windows (Storm's duration windows without a timestamp field): an item's time is
 * the clock reading when it arrived, and windows fire as the clock passes their end. Pure: the
 * clock reading is passed in on every call.
 *
 * A clock that steps back is treated as standing still (an arrival is stamped no earlier than the
 * progress reached), so with processing time no item is ever late and none is dropped.
 */
import { TimeWindowManager } from './time-window-manager.js';
import { MAX_WINDOW_TUPLES } from './limits.js';
import type { WindowAdvance } from './window.js';

export class ProcessingTimeWindowManager<T> {
  private readonly windows: TimeWindowManager<T>;

  constructor(lengthMs: number, slideMs: number, maxTuples: number = MAX_WINDOW_TUPLES) {
    this.windows = new TimeWindowManager<T>(lengthMs, slideMs, maxTuples);
  }

  get size(): number {
    return this.windows.size;
  }

  /** Adds an item that arrived at `nowMs`; returns the items evicted to stay within the bound. */
  add(item: T, nowMs: number): readonly T[] {
    const result = this.windows.add(item, Math.max(nowMs, this.windows.progressMs));
    // Unreachable: the timestamp is never below the progress.
    if (result.late) throw new RangeError(`processing-time item at ${nowMs} refused as late`);
    return result.evicted;
  }

  /** Fires every window that ended by `nowMs`. */
  advance(nowMs: number): WindowAdvance<T> {
    return this.windows.advance(nowMs);
  }
}
