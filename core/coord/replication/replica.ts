/**
 * What a coordination server needs from replication: a local data tree for reads, a way to get a
 * write applied (through the ensemble's leader and log), and a feed of every applied write so
 * watches fire and expired sessions' connections close on every server.
 */
import type { ApplyOutcome, DataTree, Id, TxnContext, WriteOp } from '../tree/index.js';

export interface AppliedWrite {
  op: WriteOp;
  ctx: TxnContext;
  outcome: ApplyOutcome;
}

export interface ReplicaStatus {
  role: 'leader' | 'follower' | 'candidate' | 'standalone';
  leaderId: number;
  serverId: number;
  term: number;
  commitIndex: number;
}

export interface Replica {
  readonly serverId: number;
  /** The local copy of the tree: reads are served from it (ZooKeeper's sequential consistency). */
  readonly tree: DataTree;
  /**
   * Gets a write ordered by the leader, committed by a majority and applied here; resolves with
   * the outcome this server computed for it (every replica computes the same).
   */
  write(op: WriteOp, sessionId: bigint, authIds: Id[]): Promise<AppliedWrite>;
  /** Session activity seen by this server; the leader uses it to decide expiry. */
  touchSession(sessionId: bigint, timeoutMs: number): void;
  /** Called for every applied write, in log order. */
  onApplied(listener: (applied: AppliedWrite) => void): void;
  status(): ReplicaStatus;
  close(): Promise<void>;
}

/** The write could not be replicated (no leader, lost leadership, shutting down): the client sees CONNECTIONLOSS. */
export class ReplicationUnavailableError extends Error {
  readonly code = 'REPLICATION_UNAVAILABLE';
  constructor(readonly reason: string) {
    super(`write not replicated: ${reason}; retry once the ensemble has a leader`);
    this.name = 'ReplicationUnavailableError';
  }
}
