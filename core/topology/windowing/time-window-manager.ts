/**
 * Time windows over timestamped items, advanced by a progress time: the clock for processing time,
 * the watermark for event time. Pure: timestamps and progress are passed in.
 *
 * Windows are aligned to multiples of `slideMs`: the window ending at e (a multiple of the slide)
 * covers [e − lengthMs, e) and fires once progress reaches e. Windows holding no item are skipped
 * (Storm does not activate empty windows either). An item whose timestamp is below the progress
 * already reached is late — every window that could hold it may have fired — and is refused.
 * An item expires as soon as progress has passed the end of every window that holds it.
 *
 * Memory: at most `maxTuples` items; adding beyond evicts the oldest (returned to the caller, who
 * fails them so their spouts replay them).
 */
import { InvalidWindowConfigError } from './errors.js';
import { MAX_WINDOW_DURATION_MS, MAX_WINDOW_TUPLES, MAX_WINDOWS_PER_TUPLE } from './limits.js';
import { createWindow, NOTHING_FIRED, type Window, type WindowAdvance } from './window.js';

interface Entry<T> {
  readonly item: T;
  readonly timestampMs: number;
  seen: boolean;
}

export type AddResult<T> = { readonly late: false; readonly evicted: readonly T[] } | { readonly late: true; readonly progressMs: number };

export class TimeWindowManager<T> {
  /** Items not yet expired, ascending by timestamp (equal timestamps in arrival order). */
  private readonly entries: Entry<T>[] = [];
  private progress = Number.NEGATIVE_INFINITY;
  private expiredSinceFire: T[] = [];

  constructor(
    readonly lengthMs: number,
    readonly slideMs: number,
    readonly maxTuples: number = MAX_WINDOW_TUPLES,
  ) {
    checkDuration('length', lengthMs);
    checkDuration('slide', slideMs);
    if (slideMs > lengthMs) throw new InvalidWindowConfigError(undefined, 'slide', slideMs, `a duration no longer than the length ${lengthMs} ms`);
    if (lengthMs / slideMs > MAX_WINDOWS_PER_TUPLE) throw new InvalidWindowConfigError(undefined, 'slide', slideMs, `at least length / ${MAX_WINDOWS_PER_TUPLE} ms`);
    if (!Number.isInteger(maxTuples) || maxTuples < 1 || maxTuples > MAX_WINDOW_TUPLES) throw new InvalidWindowConfigError(undefined, 'maxBufferedTuples', maxTuples, `an integer in 1..${MAX_WINDOW_TUPLES}`);
  }

  get size(): number {
    return this.entries.length;
  }

  /** The progress (clock or watermark) reached so far; −Infinity before the first advance. */
  get progressMs(): number {
    return this.progress;
  }

  add(item: T, timestampMs: number): AddResult<T> {
    if (!Number.isFinite(timestampMs)) throw new RangeError(`timestamp ${timestampMs} is not a finite number`);
    if (timestampMs < this.progress) return { late: true, progressMs: this.progress };
    this.entries.splice(this.insertionPoint(timestampMs), 0, { item, timestampMs, seen: false });
    const overflow = this.entries.length - this.maxTuples;
    const evicted = overflow > 0 ? this.entries.splice(0, overflow).map((entry) => entry.item) : [];
    return { late: false, evicted };
  }

  /** Moves progress to `progressMs` (ignored unless it grows) and fires every window ending by then. */
  advance(progressMs: number): WindowAdvance<T> {
    if (!(progressMs > this.progress)) return NOTHING_FIRED;
    const fired: Window<T>[] = [];
    const expired: T[] = [];
    const first = this.entries[0];
    let end = first === undefined ? Number.POSITIVE_INFINITY : this.alignedEndAfter(Math.max(first.timestampMs, this.progress));
    while (end <= progressMs) {
      expired.push(...this.expireBefore(end - this.lengthMs));
      const oldest = this.entries[0];
      if (oldest === undefined) break;
      if (oldest.timestampMs >= end) {
        end = this.alignedEndAfter(oldest.timestampMs); // skip empty windows
        continue;
      }
      fired.push(this.fire(end));
      end += this.slideMs;
    }
    this.progress = progressMs;
    // Items older than the start of the next window to fire are in no window any more.
    expired.push(...this.expireBefore(this.alignedEndAfter(progressMs) - this.lengthMs));
    return { fired, expired };
  }

  private fire(endMs: number): Window<T> {
    const inWindow: Entry<T>[] = [];
    for (const entry of this.entries) {
      if (entry.timestampMs >= endMs) break;
      inWindow.push(entry);
    }
    const fresh = inWindow.filter((entry) => !entry.seen).map((entry) => entry.item);
    for (const entry of inWindow) entry.seen = true;
    const window = createWindow(inWindow.map((entry) => entry.item), fresh, this.expiredSinceFire, endMs - this.lengthMs, endMs);
    this.expiredSinceFire = [];
    return window;
  }

  private expireBefore(startMs: number): T[] {
    let count = 0;
    while (count < this.entries.length && (this.entries[count] as Entry<T>).timestampMs < startMs) count += 1;
    const expired = this.entries.splice(0, count).map((entry) => entry.item);
    this.expiredSinceFire.push(...expired);
    return expired;
  }

  /** The end of the first window that holds time t: the smallest multiple of the slide above t. */
  private alignedEndAfter(t: number): number {
    return (Math.floor(t / this.slideMs) + 1) * this.slideMs;
  }

  /** First position whose timestamp is above `timestampMs` (binary search; keeps arrival order among equals). */
  private insertionPoint(timestampMs: number): number {
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.entries[middle] as Entry<T>).timestampMs <= timestampMs) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

function checkDuration(setting: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_WINDOW_DURATION_MS) {
    throw new InvalidWindowConfigError(undefined, setting, value, `a duration in ms in (0, ${MAX_WINDOW_DURATION_MS}]`);
  }
}
