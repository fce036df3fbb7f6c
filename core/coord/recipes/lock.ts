/**
 * An exclusive lock, as ZooKeeper's recipes describe it: every contender creates an ephemeral
 * sequential node `<guid>-lock-<n>` under the lock path; the lowest holds the lock; each other
 * contender watches only the node just before its own, so a release wakes one waiter, not all.
 * The GUID lets a contender find its own node after a create whose reply was lost.
 *
 * Guarantees: at most one live session holds the lock (its node is lowest); a holder that crashes
 * releases it when its session expires; waiters are served in arrival order. A holder whose
 * session expires loses the lock without the lock telling it: watch the client's `state$` if the
 * guarded work must stop at once.
 */
import type { CoordClient } from '../client/coord-client.js';
import { acquireQueuedLock, immediatePredecessor, type LockHandle } from './sequential-nodes.js';

export type { LockHandle } from './sequential-nodes.js';

const LOCK_PREFIX = 'lock-';

export class DistributedLock {
  constructor(
    private readonly client: CoordClient,
    readonly lockPath: string,
  ) {}

  /** Resolves once the lock is ours; rejects with LockTimeoutError after `timeoutMs`, leaving no node behind. */
  acquire(timeoutMs?: number): Promise<LockHandle> {
    return acquireQueuedLock(this.client, { lockPath: this.lockPath, prefix: LOCK_PREFIX, prefixes: [LOCK_PREFIX], rule: immediatePredecessor, timeoutMs });
  }

  /** Runs `work` while holding the lock, releasing it however `work` ends. */
  async withLock<T>(work: () => Promise<T>, timeoutMs?: number): Promise<T> {
    const handle = await this.acquire(timeoutMs);
    try {
      return await work();
    } finally {
      await handle.release();
    }
  }
}
