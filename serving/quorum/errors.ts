/**
 * Typed errors of quorum replication. Each carries a stable `code` and the offending values, so
 * the RESP layer answers with an error reply for that request and keeps serving everyone else.
 */
export type QuorumErrorCode =
  | 'INVALID_QUORUM'
  | 'INVALID_REPLICA_LIST'
  | 'INVALID_VALUE'
  | 'MALFORMED_VERSIONED_VALUE'
  | 'UNSUPPORTED_VALUE_FORMAT'
  | 'CONFLICT_MODE_MISMATCH'
  | 'HINT_TOO_LARGE'
  | 'INVALID_OPTION'
  | 'QUORUM_INVARIANT';

export class QuorumError extends Error {
  constructor(
    readonly code: QuorumErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** N, R, W that cannot be served: 1 ≤ R, W ≤ N ≤ replicas available must hold. */
export class InvalidQuorumError extends QuorumError {
  declare readonly code: 'INVALID_QUORUM';
  constructor(
    readonly n: number,
    readonly r: number,
    readonly w: number,
    readonly replicasAvailable: number,
    readonly reason: string,
  ) {
    super('INVALID_QUORUM', `N=${n} R=${r} W=${w} with ${replicasAvailable} replicas available: ${reason}; ask for 1 ≤ R,W ≤ N ≤ ${replicasAvailable}`);
  }
}

/** A preference list or fallback list with duplicates or overlaps: a caller bug or a corrupt ring. */
export class InvalidReplicaListError extends QuorumError {
  declare readonly code: 'INVALID_REPLICA_LIST';
  constructor(
    readonly nodeId: string,
    readonly reason: string,
  ) {
    super('INVALID_REPLICA_LIST', `replica list is invalid at ${JSON.stringify(nodeId)}: ${reason}; take both lists from the same ring`);
  }
}

/** A value, timestamp or expiry out of range when building a versioned value. */
export class InvalidValueError extends QuorumError {
  declare readonly code: 'INVALID_VALUE';
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super('INVALID_VALUE', `${field} = ${String(value)}: expected ${expected}`);
  }
}

/** Bytes (from storage or a peer) that are not a versioned value. */
export class MalformedVersionedValueError extends QuorumError {
  declare readonly code: 'MALFORMED_VERSIONED_VALUE';
  constructor(
    readonly reason: string,
    readonly offset: number,
  ) {
    super('MALFORMED_VERSIONED_VALUE', `malformed versioned value at byte ${offset}: ${reason}; treat the copy as missing and let repair replace it`);
  }
}

/** A versioned value written by a newer format this node does not know. */
export class UnsupportedValueFormatError extends QuorumError {
  declare readonly code: 'UNSUPPORTED_VALUE_FORMAT';
  constructor(
    readonly version: number,
    readonly supported: number,
  ) {
    super('UNSUPPORTED_VALUE_FORMAT', `versioned value format ${version} is not supported (this node reads ${supported}); upgrade this node`);
  }
}

/** Two copies of one key in different conflict modes: the keyspace's mode was changed under data. */
export class ConflictModeMismatchError extends QuorumError {
  declare readonly code: 'CONFLICT_MODE_MISMATCH';
  constructor(
    readonly left: string,
    readonly right: string,
  ) {
    super('CONFLICT_MODE_MISMATCH', `cannot merge a '${left}' copy with a '${right}' copy; a keyspace's conflict mode cannot change while it holds data`);
  }
}

/** One hint larger than the whole hint budget: refused, so the write is not acknowledged for it. */
export class HintTooLargeError extends QuorumError {
  declare readonly code: 'HINT_TOO_LARGE';
  constructor(
    readonly sizeBytes: number,
    readonly maxBytes: number,
  ) {
    super('HINT_TOO_LARGE', `hint of ${sizeBytes} bytes exceeds the hint budget of ${maxBytes} bytes; the write must reach its replica directly`);
  }
}

/** An option of a detector, queue or request outside its documented range. */
export class InvalidOptionError extends QuorumError {
  declare readonly code: 'INVALID_OPTION';
  constructor(
    readonly option: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super('INVALID_OPTION', `option ${option} = ${String(value)}: expected ${expected}`);
  }
}

/** A broken internal invariant: a bug, never bad input. */
export class QuorumInvariantError extends QuorumError {
  declare readonly code: 'QUORUM_INVARIANT';
  constructor(
    readonly invariant: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super('QUORUM_INVARIANT', `quorum invariant violated: ${invariant} ${JSON.stringify(details)}`);
  }
}
