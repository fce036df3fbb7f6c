/**
 * Request deadlines without one timer per request: deadlines are grouped into buckets of
 * `resolutionMs`, each bucket holding a single timer. At 100k requests/s this is ~100 timers/s
 * instead of 100k, at the price of firing up to `resolutionMs` late.
 *
 * Deadlines are on the monotonic clock (performance.now()), never the wall clock: a bucket's
 * timer is set from the time it was created, so with wall-clock deadlines a clock stepped back
 * after that would file new, later deadlines into the old bucket and end them early (a step
 * forward likewise skews which bucket a deadline lands in). Callers compute deadlines as
 * `performance.now() + timeoutMs` (or core/clock's monotonicNowMs, its whole milliseconds).
 */
export class DeadlineWheel<T> {
  private readonly buckets = new Map<number, { items: Set<T>; timer: NodeJS.Timeout }>();
  private readonly bucketOf = new Map<T, number>();

  constructor(
    private readonly resolutionMs: number,
    private readonly onExpired: (item: T) => void,
  ) {
    if (resolutionMs <= 0) throw new RangeError(`resolutionMs must be positive, got ${resolutionMs}`);
  }

  /** Expires `item` at `deadlineMs` on the monotonic clock (performance.now()). */
  add(item: T, deadlineMs: number): void {
    const key = Math.ceil(deadlineMs / this.resolutionMs);
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      const delayMs = Math.max(0, key * this.resolutionMs - performance.now());
      bucket = { items: new Set(), timer: setTimeout(() => this.expire(key), delayMs) };
      this.buckets.set(key, bucket);
    }
    bucket.items.add(item);
    this.bucketOf.set(item, key);
  }

  remove(item: T): void {
    const key = this.bucketOf.get(item);
    if (key === undefined) return;
    this.bucketOf.delete(item);
    const bucket = this.buckets.get(key);
    if (bucket === undefined) return;
    bucket.items.delete(item);
    if (bucket.items.size === 0) {
      clearTimeout(bucket.timer);
      this.buckets.delete(key);
    }
  }

  clear(): void {
    for (const bucket of this.buckets.values()) clearTimeout(bucket.timer);
    this.buckets.clear();
    this.bucketOf.clear();
  }

  get size(): number {
    return this.bucketOf.size;
  }

  private expire(key: number): void {
    const bucket = this.buckets.get(key);
    if (bucket === undefined) return;
    this.buckets.delete(key);
    for (const item of bucket.items) {
      this.bucketOf.delete(item);
      this.onExpired(item);
    }
  }
}
