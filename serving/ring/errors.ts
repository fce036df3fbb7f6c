/**
 * Typed errors of the ring. Each carries a stable `code` and the offending values, so the serving
 * layer answers with its protocol's error and keeps serving.
 */

export type RingErrorCode =
  | 'INVALID_NODE_ID'
  | 'DUPLICATE_NODE'
  | 'UNKNOWN_NODE'
  | 'EMPTY_RING'
  | 'RING_FULL'
  | 'INVALID_RING_OPTIONS'
  | 'INVALID_REPLICA_COUNT'
  | 'INVALID_PARTITION'
  | 'MALFORMED_RING'
  | 'RING_INVARIANT';

export class RingError extends Error {
  constructor(
    readonly code: RingErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class InvalidNodeIdError extends RingError {
  declare readonly code: 'INVALID_NODE_ID';
  constructor(
    readonly nodeId: unknown,
    readonly reason: string,
  ) {
    super('INVALID_NODE_ID', `invalid node id ${JSON.stringify(nodeId)}: ${reason}`);
  }
}

export class DuplicateNodeError extends RingError {
  declare readonly code: 'DUPLICATE_NODE';
  constructor(readonly nodeId: string) {
    super('DUPLICATE_NODE', `node ${JSON.stringify(nodeId)} is already in the ring; remove it first to re-add it`);
  }
}

export class UnknownNodeError extends RingError {
  declare readonly code: 'UNKNOWN_NODE';
  constructor(readonly nodeId: string) {
    super('UNKNOWN_NODE', `node ${JSON.stringify(nodeId)} is not in the ring`);
  }
}

export class EmptyRingError extends RingError {
  declare readonly code: 'EMPTY_RING';
  constructor() {
    super('EMPTY_RING', 'the ring has no nodes; no key has a replica until a node joins');
  }
}

/** The ring already holds the most nodes it was sized for. */
export class RingFullError extends RingError {
  declare readonly code: 'RING_FULL';
  constructor(
    readonly nodes: number,
    readonly limit: string,
  ) {
    super('RING_FULL', `a ring of ${nodes} nodes cannot grow: ${limit}; build a new ring with a larger maxNodes and migrate to it`);
  }
}

export class InvalidRingOptionsError extends RingError {
  declare readonly code: 'INVALID_RING_OPTIONS';
  constructor(
    readonly option: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super('INVALID_RING_OPTIONS', `ring option ${option} = ${String(value)}: expected ${expected}`);
  }
}

export class InvalidReplicaCountError extends RingError {
  declare readonly code: 'INVALID_REPLICA_COUNT';
  constructor(readonly count: unknown) {
    super('INVALID_REPLICA_COUNT', `replica count ${String(count)} must be a positive integer`);
  }
}

export class InvalidPartitionError extends RingError {
  declare readonly code: 'INVALID_PARTITION';
  constructor(
    readonly partition: number,
    readonly partitionCount: number,
  ) {
    super('INVALID_PARTITION', `partition ${partition} is outside [0, ${partitionCount})`);
  }
}

/** A stored ring (znode content) that is not a valid ring. */
export class MalformedRingError extends RingError {
  declare readonly code: 'MALFORMED_RING';
  constructor(readonly reason: string) {
    super('MALFORMED_RING', `stored ring is malformed: ${reason}; rebuild it from the membership list`);
  }
}

/** A broken internal invariant: a bug, never bad input. */
export class RingInvariantError extends RingError {
  declare readonly code: 'RING_INVARIANT';
  constructor(
    readonly invariant: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super('RING_INVARIANT', `ring invariant violated: ${invariant} ${JSON.stringify(details)}`);
  }
}
