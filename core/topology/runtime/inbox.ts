/**
 * A task's input: an RxJS Subject of batches that the task subscribes to. The subscription only
 * enqueues (bounded by the task's capacity, counted towards the topology's backpressure) and asks
 * the scheduler for a turn; execution happens in the turn, so a long chain of bolts never runs on
 * one deep call stack and every task drains in batches.
 */
import { Subject, type Subscription } from 'rxjs';
import { TaskQueue } from './task-queue.js';

export class Inbox<T> {
  readonly batches$ = new Subject<T[]>();
  readonly queue: TaskQueue<T>;
  private readonly subscription: Subscription;
  private full = false;

  /**
   * @param onFullChange called when the queue reaches its capacity (+1) or drops below it (-1)
   * @param onArrival called after each batch is queued
   */
  constructor(
    capacity: number,
    private readonly onFullChange: (delta: 1 | -1) => void,
    onArrival: () => void,
  ) {
    this.queue = new TaskQueue<T>(capacity);
    this.subscription = this.batches$.subscribe((batch) => {
      this.queue.pushBatch(batch);
      this.updateFull();
      onArrival();
    });
  }

  /** Next queued item, keeping the full/not-full accounting right. */
  take(): T | undefined {
    const item = this.queue.shift();
    if (this.full) this.updateFull();
    return item;
  }

  get isEmpty(): boolean {
    return this.queue.isEmpty;
  }

  /** Drops everything queued (the task is stopping) and stops accepting batches. */
  close(): T[] {
    this.subscription.unsubscribe();
    this.batches$.complete();
    const rest = this.queue.clear();
    this.updateFull();
    return rest;
  }

  private updateFull(): void {
    const full = this.queue.isFull;
    if (full === this.full) return;
    this.full = full;
    this.onFullChange(full ? 1 : -1);
  }
}
