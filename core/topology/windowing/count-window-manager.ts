/**
 * Count windows (Storm's count-based sliding and tumbling windows): a window of the last
 * `lengthCount` items fires after every `slideCount` items; slide = length is a tumbling window.
 * Pure: items and their arrival ms are passed in, nothing is timed.
 *
 * Window k (k = 1, 2, ...) fires when item k·slide arrives and holds items
 * max(0, k·slide − length) .. k·slide − 1 (fewer than `length` while the first window fills, as in
 * Storm). Right after a firing, items that no later window can hold (index < k·slide + slide −
 * length) expire, so memory stays at most `length` items and expiry is as early as possible.
 */
import { InvalidWindowConfigError } from './errors.js';
import { MAX_WINDOW_TUPLES } from './limits.js';
import { createWindow, NOTHING_FIRED, type Window, type WindowAdvance } from './window.js';

interface Entry<T> {
  readonly item: T;
  readonly arrivedAtMs: number;
  seen: boolean;
}

export class CountWindowManager<T> {
  private readonly buffer: Entry<T>[] = [];
  private added = 0;
  private expiredSinceFire: T[] = [];

  constructor(
    readonly lengthCount: number,
    readonly slideCount: number,
  ) {
    checkCount('length', lengthCount);
    checkCount('slide', slideCount);
    if (slideCount > lengthCount) throw new InvalidWindowConfigError(undefined, 'slide', slideCount, `a count no larger than the length ${lengthCount}`);
  }

  /** Items held for current or later windows. */
  get size(): number {
    return this.buffer.length;
  }

  /** Adds one item; fires a window when it completes a slide. */
  add(item: T, arrivedAtMs: number): WindowAdvance<T> {
    this.buffer.push({ item, arrivedAtMs, seen: false });
    this.added += 1;
    if (this.added % this.slideCount !== 0) return NOTHING_FIRED;
    const window = this.fire(arrivedAtMs);
    const keep = this.lengthCount - this.slideCount;
    const expired = this.buffer.splice(0, Math.max(0, this.buffer.length - keep)).map((entry) => entry.item);
    this.expiredSinceFire = expired;
    return { fired: [window], expired };
  }

  private fire(nowMs: number): Window<T> {
    // Invariant: between firings the buffer holds exactly the items of the next window.
    if (this.buffer.length > this.lengthCount) throw new RangeError(`count window holds ${this.buffer.length} items, more than its length ${this.lengthCount}`);
    const items = this.buffer.map((entry) => entry.item);
    const fresh = this.buffer.filter((entry) => !entry.seen).map((entry) => entry.item);
    for (const entry of this.buffer) entry.seen = true;
    const startMs = this.buffer[0]?.arrivedAtMs ?? nowMs;
    return createWindow(items, fresh, this.expiredSinceFire, startMs, nowMs);
  }
}

function checkCount(setting: string, value: number): void {
  if (!Number.isInteger(value) || value < 1 || value > MAX_WINDOW_TUPLES) {
    throw new InvalidWindowConfigError(undefined, setting, value, `an integer count in 1..${MAX_WINDOW_TUPLES}`);
  }
}
