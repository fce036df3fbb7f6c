/**
 * Typed errors of the Raft module. Each carries a stable `code` and the offending values, so the
 * server decides without parsing messages (e.g. NOT_LEADER → forward to `leaderId`).
 */
import type { NodeId } from './types.js';

export type RaftErrorCode = 'NOT_LEADER' | 'PROPOSAL_TOO_LARGE' | 'PROPOSAL_BACKPRESSURE' | 'RAFT_INVARIANT' | 'RAFT_CODEC' | 'RAFT_CONFIG';

export class RaftError extends Error {
  constructor(
    readonly code: RaftErrorCode,
    message: string,
    readonly retriable: boolean,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Proposals go to the leader; `leaderId` is 0 while no leader is known (retry after an election). */
export class NotLeaderError extends RaftError {
  declare readonly code: 'NOT_LEADER';
  constructor(
    readonly nodeId: NodeId,
    readonly leaderId: NodeId | 0,
  ) {
    super('NOT_LEADER', `node ${nodeId} is not the leader; ${leaderId === 0 ? 'no leader is known yet, retry later' : `forward to node ${leaderId}`}`, true);
  }
}

export class ProposalTooLargeError extends RaftError {
  constructor(
    readonly sizeBytes: number,
    readonly maxBytes: number,
  ) {
    super('PROPOSAL_TOO_LARGE', `proposal of ${sizeBytes} bytes exceeds the limit of ${maxBytes} bytes; split it`, false);
  }
}

export class ProposalBackpressureError extends RaftError {
  constructor(readonly uncommittedEntries: number) {
    super('PROPOSAL_BACKPRESSURE', `${uncommittedEntries} entries wait for a quorum; retry once they commit`, true);
  }
}

/** A broken internal invariant: a bug or corrupted storage. Never caught to carry on. */
export class RaftInvariantError extends RaftError {
  constructor(
    readonly invariant: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super('RAFT_INVARIANT', `raft invariant violated: ${invariant} ${JSON.stringify(details)}`, false);
  }
}

/** Bytes that are not a valid encoding; the message is dropped, the peer keeps being served. */
export class RaftCodecError extends RaftError {
  constructor(
    readonly reason: string,
    readonly offset: number,
  ) {
    super('RAFT_CODEC', `cannot decode raft data at byte ${offset}: ${reason}`, false);
  }
}

export class RaftConfigError extends RaftError {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super('RAFT_CONFIG', `raft config ${field}=${JSON.stringify(value)} is invalid: expected ${expected}`, false);
  }
}

/** Throws RaftInvariantError unless `condition` holds; used for pre/postconditions. */
export function assertRaft(condition: boolean, invariant: string, details?: Record<string, unknown>): asserts condition {
  if (!condition) throw new RaftInvariantError(invariant, details);
}
