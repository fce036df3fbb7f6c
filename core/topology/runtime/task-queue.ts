/**
 * The input queue of one task: batches of tuples in arrival order, with a count of queued tuples
 * checked against the task's capacity. Batches are taken whole or in part without copying the
 * rest, so a task drains a 256-tuple batch in slices as cheaply as it received it.
 */

export class TaskQueue<T> {
  private readonly batches: T[][] = [];
  /** Position in the first batch of the next item. */
  private head = 0;
  private queued = 0;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.queued;
  }

  get isFull(): boolean {
    return this.queued >= this.capacity;
  }

  get isEmpty(): boolean {
    return this.queued === 0;
  }

  pushBatch(batch: T[]): void {
    if (batch.length === 0) return;
    this.batches.push(batch);
    this.queued += batch.length;
  }

  /** Takes the next item; undefined when empty. */
  shift(): T | undefined {
    for (;;) {
      const batch = this.batches[0];
      if (batch === undefined) return undefined;
      if (this.head < batch.length) {
        this.queued--;
        return batch[this.head++];
      }
      this.batches.shift();
      this.head = 0;
    }
  }

  clear(): T[] {
    const rest: T[] = [];
    for (let item = this.shift(); item !== undefined; item = this.shift()) rest.push(item);
    return rest;
  }
}
