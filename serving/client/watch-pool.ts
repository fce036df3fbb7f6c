/**
 * Dedicated connections for WATCH on plain Redis. WATCH is connection state, and ioredis
 * multiplexes every command of a client on one connection, so each compareAndSet in flight takes
 * a connection of its own: at most MAX_WATCH_CONNECTIONS, opened on demand and reused; further
 * callers queue (at most MAX_WAITING_COMPARE_AND_SETS). A connection on which anything failed is
 * dropped, because it may still hold a WATCH.
 */
import type { Redis } from 'ioredis';
import { ClientClosedError, CompareAndSetQueueFullError } from './errors.js';
import { MAX_WAITING_COMPARE_AND_SETS, MAX_WATCH_CONNECTIONS } from './limits.js';

export class WatchConnectionPool {
  private readonly idle: Redis[] = [];
  private readonly waiting: Array<(connection: Redis | Error) => void> = [];
  private open = 0;
  private closed = false;

  constructor(private readonly openConnection: () => Promise<Redis>) {}

  async with<T>(use: (connection: Redis) => Promise<T>): Promise<T> {
    const connection = await this.acquire();
    try {
      const result = await use(connection);
      this.release(connection);
      return result;
    } catch (error) {
      this.discard(connection);
      throw error;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const wake of this.waiting.splice(0)) wake(new ClientClosedError());
    await Promise.all(this.idle.splice(0).map((connection) => connection.quit().catch(() => connection.disconnect())));
  }

  private async acquire(): Promise<Redis> {
    if (this.closed) throw new ClientClosedError();
    const idle = this.idle.pop();
    if (idle) return idle;
    if (this.open < MAX_WATCH_CONNECTIONS) {
      this.open += 1;
      try {
        return await this.openConnection();
      } catch (error) {
        this.open -= 1;
        throw error;
      }
    }
    if (this.waiting.length >= MAX_WAITING_COMPARE_AND_SETS) throw new CompareAndSetQueueFullError(this.waiting.length);
    const handed = await new Promise<Redis | Error>((resolve) => this.waiting.push(resolve));
    if (handed instanceof Error) throw handed;
    return handed;
  }

  private release(connection: Redis): void {
    if (this.closed) return this.discard(connection);
    const waiter = this.waiting.shift();
    if (waiter) waiter(connection);
    else this.idle.push(connection);
  }

  private discard(connection: Redis): void {
    connection.disconnect();
    this.open -= 1;
    // A waiter may now open a fresh connection in the freed slot.
    const waiter = this.waiting.shift();
    if (waiter) void this.acquireFor(waiter);
  }

  private async acquireFor(waiter: (connection: Redis | Error) => void): Promise<void> {
    try {
      this.open += 1;
      waiter(await this.openConnection());
    } catch (error) {
      this.open -= 1;
      waiter(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
