/**
 * Runs the tasks of one topology on the event loop: a ready list of executors with input, then
 * every spout that may emit, repeated for up to SCHEDULER_SLICE_MS before yielding (setImmediate)
 * so sockets, timers and async user code run too. When nothing is ready it sleeps until the
 * earliest spout wake-up, or until new input arrives (markReady) — no busy polling.
 */
import { SCHEDULER_SLICE_MS } from './limits.js';
import type { Executor } from './runtime-host.js';
import type { SpoutExecutor } from './spout-executor.js';
import type { Transfer } from './transfer.js';

export class Scheduler {
  private ready: Executor[] = [];
  private readonly flushes: Transfer[] = [];
  private spouts: readonly SpoutExecutor[] = [];
  private passScheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly nowMs: () => number) {}

  setSpouts(spouts: readonly SpoutExecutor[]): void {
    this.spouts = spouts;
  }

  markReady(executor: Executor): void {
    if (!executor.scheduled) {
      executor.scheduled = true;
      this.ready.push(executor);
    }
    this.wake();
  }

  requestFlush(transfer: Transfer): void {
    this.flushes.push(transfer);
    this.wake();
  }

  wake(): void {
    if (this.passScheduled || this.stopped) return;
    this.passScheduled = true;
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    setImmediate(() => this.pass());
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private pass(): void {
    this.passScheduled = false;
    if (this.stopped) return;
    const deadlineMs = this.nowMs() + SCHEDULER_SLICE_MS;
    for (;;) {
      const progressed = this.runFlushes() + this.runReady() + this.runSpouts() > 0;
      if (!progressed || this.nowMs() >= deadlineMs) break;
    }
    this.planNextPass();
  }

  private runFlushes(): number {
    const count = this.flushes.length;
    for (let index = 0; index < count; index++) this.flushes[index]?.flush();
    this.flushes.splice(0, count);
    return count;
  }

  private runReady(): number {
    const batch = this.ready;
    this.ready = [];
    let worked = 0;
    for (const executor of batch) {
      executor.scheduled = false;
      if (executor.runTurn()) worked++;
      if (executor.hasWork) this.markReadyQuietly(executor);
    }
    return worked;
  }

  private runSpouts(): number {
    let worked = 0;
    for (const spout of this.spouts) {
      if (spout.scheduled || !spout.hasWork) continue;
      if (spout.runTurn()) worked++;
    }
    return worked;
  }

  private markReadyQuietly(executor: Executor): void {
    if (executor.scheduled) return;
    executor.scheduled = true;
    this.ready.push(executor);
  }

  private planNextPass(): void {
    if (this.ready.length > 0 || this.flushes.length > 0) return this.wake();
    let wakeAtMs = Number.POSITIVE_INFINITY;
    for (const spout of this.spouts) {
      if (!spout.canEmit) continue; // blocked: new input (acks, drained queues) wakes us
      wakeAtMs = Math.min(wakeAtMs, spout.sleepUntilMs);
    }
    if (wakeAtMs === Number.POSITIVE_INFINITY) return;
    const delayMs = wakeAtMs - this.nowMs();
    if (delayMs <= 0) return this.wake();
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.wake();
    }, Math.ceil(delayMs));
  }
}
