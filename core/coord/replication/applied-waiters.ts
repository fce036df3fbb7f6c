/**
 * Writes waiting to be applied on this server, keyed by log position. A write is done when the
 * entry at its index is applied with the term it was proposed in; a different term there means
 * a new leader overwrote it (it was never committed), and the write fails.
 */
import { ReplicationUnavailableError, type AppliedWrite } from './replica.js';

/** Positions applied before their waiter arrived (a forward's answer can lose the race). */
const RECENT_APPLIED_ENTRIES = 10_000;

interface Waiter {
  term: number;
  resolve: (applied: AppliedWrite) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class AppliedWaiters {
  private readonly waiting = new Map<number, Waiter[]>();
  private readonly recent = new Map<number, { term: number; applied: AppliedWrite | undefined }>();
  private highestApplied = 0;

  constructor(private readonly timeoutMs: number) {}

  wait(index: number, term: number): Promise<AppliedWrite> {
    if (index <= this.highestApplied) {
      const known = this.recent.get(index);
      if (known && known.term === term && known.applied) return Promise.resolve(known.applied);
      return Promise.reject(new ReplicationUnavailableError(known ? `entry ${index} was replaced by a new leader` : `entry ${index} applied too long ago to report`));
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.remove(index, waiter);
        reject(new ReplicationUnavailableError(`entry ${index} not applied within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      const waiter: Waiter = { term, resolve, reject, timer };
      const list = this.waiting.get(index);
      if (list) list.push(waiter);
      else this.waiting.set(index, [waiter]);
    });
  }

  applied(index: number, term: number, applied: AppliedWrite): void {
    this.settle(index, term, applied);
  }

  /** A non-write entry (a leader's noop) took this position. */
  skip(index: number, term: number): void {
    this.settle(index, term, undefined);
  }

  failAll(error: Error): void {
    for (const list of this.waiting.values()) {
      for (const waiter of list) {
        clearTimeout(waiter.timer);
        waiter.reject(error);
      }
    }
    this.waiting.clear();
  }

  private settle(index: number, term: number, applied: AppliedWrite | undefined): void {
    this.highestApplied = Math.max(this.highestApplied, index);
    this.recent.set(index, { term, applied });
    if (this.recent.size > RECENT_APPLIED_ENTRIES) this.recent.delete(this.recent.keys().next().value!);
    const list = this.waiting.get(index);
    if (!list) return;
    this.waiting.delete(index);
    for (const waiter of list) {
      clearTimeout(waiter.timer);
      if (waiter.term === term && applied) waiter.resolve(applied);
      else waiter.reject(new ReplicationUnavailableError(`entry ${index} was replaced by a new leader`));
    }
  }

  private remove(index: number, waiter: Waiter): void {
    const list = this.waiting.get(index)?.filter((candidate) => candidate !== waiter);
    if (list && list.length > 0) this.waiting.set(index, list);
    else this.waiting.delete(index);
  }
}
