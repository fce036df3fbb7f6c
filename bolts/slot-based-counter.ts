/**
 * The counting behind a rolling top-N (Storm's SlotBasedCounter, SlidingWindowCounter and
 * NthLastModifiedTimeTracker), pure: no timers, no clock of their own, so tests step them exactly.
 *
 * A sliding window of N slots counts objects in the head slot; each advance reports, per object,
 * the sum over all N slots (the head and the N-1 before it), then wipes the oldest slot and makes
 * it the new head. An object whose count fell to zero is reported once with 0 and then forgotten:
 * that zero is what lets the rankings downstream drop it, rather than keep its last count forever.
 */
import { checkInteger } from './errors.js';
import { MAX_WINDOW_SLOTS, MIN_WINDOW_SLOTS } from './limits.js';

/** Counts per object per slot. Objects are Map keys: primitives compare by value, objects by identity. */
export class SlotBasedCounter<T> {
  private readonly counts = new Map<T, number[]>();

  constructor(readonly slots: number) {
    checkInteger('SlotBasedCounter', 'slots', slots, 1, MAX_WINDOW_SLOTS);
  }

  /** Objects with a row (possibly all zeros until wipeZeros). */
  get size(): number {
    return this.counts.size;
  }

  increment(object: T, slot: number, by = 1): void {
    this.checkSlot(slot);
    let row = this.counts.get(object);
    if (row === undefined) {
      row = new Array<number>(this.slots).fill(0);
      this.counts.set(object, row);
    }
    row[slot] = (row[slot] ?? 0) + by;
  }

  count(object: T, slot: number): number {
    this.checkSlot(slot);
    return this.counts.get(object)?.[slot] ?? 0;
  }

  /** Sum over all slots, per object (objects whose sum is 0 included until wipeZeros). */
  totals(): Map<T, number> {
    const totals = new Map<T, number>();
    for (const [object, row] of this.counts) totals.set(object, row.reduce((sum, each) => sum + each, 0));
    return totals;
  }

  wipeSlot(slot: number): void {
    this.checkSlot(slot);
    for (const row of this.counts.values()) row[slot] = 0;
  }

  /** Forgets objects whose every slot is 0. */
  wipeZeros(): void {
    for (const [object, row] of this.counts) if (row.every((each) => each === 0)) this.counts.delete(object);
  }

  private checkSlot(slot: number): void {
    checkInteger('SlotBasedCounter', 'slot', slot, 0, this.slots - 1);
  }
}

/** A window of `slots` slots over a SlotBasedCounter; see the module comment. */
export class SlidingWindowCounter<T> {
  private readonly counter: SlotBasedCounter<T>;
  private headSlot = 0;

  constructor(readonly slots: number) {
    checkInteger('SlidingWindowCounter', 'slots', slots, MIN_WINDOW_SLOTS, MAX_WINDOW_SLOTS);
    this.counter = new SlotBasedCounter(slots);
  }

  /** Objects the window currently tracks. */
  get size(): number {
    return this.counter.size;
  }

  increment(object: T, by = 1): void {
    this.counter.increment(object, this.headSlot, by);
  }

  /** Per object, its count over the whole window; then slides the window by one slot. */
  countsThenAdvanceWindow(): Map<T, number> {
    const counts = this.counter.totals();
    this.counter.wipeZeros();
    const tailSlot = (this.headSlot + 1) % this.slots;
    this.counter.wipeSlot(tailSlot);
    this.headSlot = tailSlot;
    return counts;
  }
}

/**
 * The times of the last `slots` window advances, to say how long the reported window really is:
 * shorter than configured until the window has filled once, longer when ticks come late.
 */
export class ModificationTimeTracker {
  private readonly times: number[];
  private oldest = 0;

  constructor(readonly slots: number, startMs: number) {
    checkInteger('ModificationTimeTracker', 'slots', slots, 1, MAX_WINDOW_SLOTS);
    this.times = new Array<number>(slots).fill(startMs);
  }

  /** Whole seconds since the oldest remembered modification. */
  secondsSinceOldestModification(nowMs: number): number {
    return Math.floor((nowMs - (this.times[this.oldest] ?? nowMs)) / 1000);
  }

  markAsModified(nowMs: number): void {
    this.times[this.oldest] = nowMs;
    this.oldest = (this.oldest + 1) % this.slots;
  }
}
