/**
 * A state rebuilt from coord whenever something under a watch changes: reloads are coalesced (a
 * burst of events costs one reload, plus one more if events arrived during it), listeners hear
 * every new state, and callers can wait for a state that satisfies a condition. The owner
 * supplies the reload (what to read) and the events (which watch to set).
 */
import type { Logger } from 'pino';

export class CoalescedState<T> {
  private current: T;
  private readonly listeners = new Set<(state: T) => void>();
  private reloading: Promise<void> | undefined;
  private reloadAgain = false;
  private closed = false;

  constructor(
    initial: T,
    private readonly load: () => Promise<T | undefined>,
    private readonly logger: Logger,
    private readonly what: string,
  ) {
    this.current = initial;
  }

  get value(): T {
    return this.current;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  onChange(listener: (state: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Waits until `predicate` holds, or the timeout ends; resolves with whether it held. */
  waitFor(predicate: (state: T) => boolean, timeoutMs: number): Promise<boolean> {
    if (predicate(this.current)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(false), timeoutMs);
      const stop = this.onChange((state) => predicate(state) && finish(true));
      function finish(held: boolean) {
        clearTimeout(timer);
        stop();
        resolve(held);
      }
    });
  }

  /** Reloads now (not coalesced): for a caller that must see fresh state before going on. */
  async reload(): Promise<void> {
    const loaded = await this.load();
    if (loaded !== undefined && !this.closed) this.publish(loaded);
  }

  /** Schedules a reload, coalescing with one in progress. */
  requestReload(): void {
    if (this.closed) return;
    if (this.reloading) {
      this.reloadAgain = true;
      return;
    }
    this.reloading = this.reload()
      .catch((error: unknown) => this.logger.warn({ err: error }, `${this.what} reload failed; retrying on the next event`))
      .finally(() => {
        this.reloading = undefined;
        if (this.reloadAgain) {
          this.reloadAgain = false;
          this.requestReload();
        }
      });
  }

  /** Replaces the state (e.g. after an incremental read) and tells the listeners. */
  publish(state: T): void {
    this.current = state;
    for (const listener of [...this.listeners]) {
      try {
        listener(state);
      } catch (error) {
        this.logger.error({ err: error }, `${this.what} listener failed`);
      }
    }
  }

  close(): void {
    this.closed = true;
    this.listeners.clear();
  }
}
