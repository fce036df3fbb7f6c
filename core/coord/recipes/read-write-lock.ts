/**
 * Shared (read) and exclusive (write) locks over one queue, as ZooKeeper's recipes describe:
 * contenders create `<guid>-read-<n>` or `<guid>-write-<n>` (ephemeral sequential). A reader holds
 * its lock once no write node is ahead of it, and waits on the last write node before it; a
 * writer holds its lock once no node at all is ahead, and waits on the node just before it.
 *
 * Guarantees: readers share, a writer excludes everyone; arrival order is respected, so a writer
 * waiting behind readers is not starved by readers arriving later (they queue behind it). Each
 * deletion wakes only the contenders watching that one node. Readers queued behind the same
 * writer all wake when it leaves: that is by design (they all may proceed), not a herd.
 */
import type { CoordClient } from '../client/coord-client.js';
import { acquireQueuedLock, immediatePredecessor, type LockHandle, type PredecessorRule } from './sequential-nodes.js';

const READ_PREFIX = 'read-';
const WRITE_PREFIX = 'write-';
const PREFIXES = [READ_PREFIX, WRITE_PREFIX] as const;

/** A reader waits on the closest write node ahead of it; undefined when none is ahead. */
export const lastWriteBefore: PredecessorRule = (contenders, ownIndex) => contenders.slice(0, ownIndex).findLast((node) => node.prefix === WRITE_PREFIX);

export type LockMode = 'read' | 'write';

export class ReadWriteLock {
  constructor(
    private readonly client: CoordClient,
    readonly lockPath: string,
  ) {}

  /** A shared lock: held alongside other readers, never alongside a writer. */
  acquireRead(timeoutMs?: number): Promise<LockHandle> {
    return this.acquire('read', timeoutMs);
  }

  /** An exclusive lock: held alone. */
  acquireWrite(timeoutMs?: number): Promise<LockHandle> {
    return this.acquire('write', timeoutMs);
  }

  acquire(mode: LockMode, timeoutMs?: number): Promise<LockHandle> {
    const read = mode === 'read';
    return acquireQueuedLock(this.client, {
      lockPath: this.lockPath,
      prefix: read ? READ_PREFIX : WRITE_PREFIX,
      prefixes: PREFIXES,
      rule: read ? lastWriteBefore : immediatePredecessor,
      timeoutMs,
    });
  }
}
