/**
 * Helpers for the data tree's own tests: a driver that hands out increasing zxids and times the
 * way a leader would, and short builders for common ops.
 */
import { CreateMode, Perms } from '../zookeeper-constants.js';
import { DataTree } from './data-tree.js';
import type { ACL, ApplyOutcome, Id, TxnContext, WriteOp } from './types.js';

export const OPEN_ACL: ACL[] = [{ perms: Perms.ALL, id: { scheme: 'world', id: 'anyone' } }];
export const NO_IDS: Id[] = [];
export const SESSION = 0x100n;

export function aclFor(perms: number, scheme = 'world', id = 'anyone'): ACL[] {
  return [{ perms, id: { scheme, id } }];
}

export function createOp(path: string, options: { data?: string; mode?: number; acl?: ACL[]; ttlMs?: number } = {}): WriteOp {
  const op: WriteOp = {
    type: 'create',
    path,
    data: Buffer.from(options.data ?? ''),
    acl: options.acl ?? OPEN_ACL,
    mode: options.mode ?? CreateMode.PERSISTENT,
  };
  return options.ttlMs === undefined ? op : { ...op, ttlMs: options.ttlMs };
}

/** Applies ops with zxid 1, 2, 3… and timeMs = 1000 * zxid, from SESSION unless told otherwise. */
export class TreeDriver {
  readonly tree = new DataTree();
  private nextZxid = 1n;

  apply(op: WriteOp, context: Partial<TxnContext> = {}): ApplyOutcome {
    const zxid = this.nextZxid++;
    return this.tree.apply(op, { zxid, timeMs: Number(zxid) * 1000, sessionId: SESSION, authIds: NO_IDS, ...context });
  }

  /** The zxid the next apply will use. */
  get upcomingZxid(): bigint {
    return this.nextZxid;
  }

  openSession(sessionId = SESSION, timeoutMs = 30_000): void {
    this.apply({ type: 'createSession', sessionId, timeoutMs });
  }

  create(path: string, options: Parameters<typeof createOp>[1] = {}, context: Partial<TxnContext> = {}): ApplyOutcome {
    return this.apply(createOp(path, options), context);
  }
}
