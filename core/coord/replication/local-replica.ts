/**
 * A single in-memory replica with no log: writes apply at once. For tests of the protocol layer
 * only; a real server (even a single one) runs RaftReplica, which is durable.
 */
import { DataTree, type Id, type WriteOp } from '../tree/index.js';
import type { AppliedWrite, Replica, ReplicaStatus } from './replica.js';
import { SessionExpiry } from './session-expiry.js';

export class LocalReplica implements Replica {
  readonly tree = new DataTree();
  private readonly listeners: Array<(applied: AppliedWrite) => void> = [];
  private index = 0n;
  private readonly expiry: SessionExpiry;

  constructor(
    readonly serverId = 1,
    sessionCheckEveryMs = 200,
  ) {
    this.expiry = new SessionExpiry(this, sessionCheckEveryMs);
    this.expiry.start();
  }

  async write(op: WriteOp, sessionId: bigint, authIds: Id[]): Promise<AppliedWrite> {
    this.index += 1n;
    const ctx = { zxid: (1n << 32n) | this.index, timeMs: Date.now(), sessionId, authIds };
    const outcome = this.tree.apply(op, ctx);
    if (op.type === 'closeSession') this.expiry.forget(op.sessionId);
    const applied = { op, ctx, outcome };
    for (const listener of this.listeners) listener(applied);
    return applied;
  }

  touchSession(sessionId: bigint, timeoutMs: number): void {
    this.expiry.touch(sessionId, timeoutMs);
  }

  onApplied(listener: (applied: AppliedWrite) => void): void {
    this.listeners.push(listener);
  }

  status(): ReplicaStatus {
    return { role: 'standalone', leaderId: this.serverId, serverId: this.serverId, term: 1, commitIndex: Number(this.index) };
  }

  async close(): Promise<void> {
    this.expiry.stop();
  }
}
