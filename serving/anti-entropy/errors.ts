/**
 * Typed errors of anti-entropy. Each carries a stable `code` and the offending values; a node that
 * receives a bad message answers with the error and keeps serving.
 */
export type AntiEntropyErrorCode = 'INVALID_TREE_SHAPE' | 'INCOMPARABLE_TREES' | 'KEY_OUTSIDE_RANGE' | 'INVALID_DIGEST' | 'MALFORMED_MERKLE_MESSAGE';

export class AntiEntropyError extends Error {
  constructor(
    readonly code: AntiEntropyErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A range, fanout or depth a tree cannot have. */
export class InvalidTreeShapeError extends AntiEntropyError {
  declare readonly code: 'INVALID_TREE_SHAPE';
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super('INVALID_TREE_SHAPE', `Merkle tree ${field} = ${String(value)}: expected ${expected}`);
  }
}

/** Two trees (or a tree and a peer's level) over different ranges or shapes. */
export class IncomparableTreesError extends AntiEntropyError {
  declare readonly code: 'INCOMPARABLE_TREES';
  constructor(
    readonly local: string,
    readonly remote: string,
  ) {
    super('INCOMPARABLE_TREES', `cannot compare Merkle tree ${local} with ${remote}; both replicas must build the partition's tree with the same fanout and depth`);
  }
}

export class KeyOutsideRangeError extends AntiEntropyError {
  declare readonly code: 'KEY_OUTSIDE_RANGE';
  constructor(
    readonly keyHash: bigint,
    readonly range: string,
  ) {
    super('KEY_OUTSIDE_RANGE', `key hash ${keyHash} is outside the tree's range ${range}; put it in the tree of its own partition`);
  }
}

export class InvalidDigestError extends AntiEntropyError {
  declare readonly code: 'INVALID_DIGEST';
  constructor(
    readonly lengthBytes: number,
    readonly maxBytes: number,
  ) {
    super('INVALID_DIGEST', `value digest of ${lengthBytes} bytes: expected 1 to ${maxBytes} bytes`);
  }
}

/** A level message from a peer that is not one. */
export class MalformedMerkleMessageError extends AntiEntropyError {
  declare readonly code: 'MALFORMED_MERKLE_MESSAGE';
  constructor(
    readonly reason: string,
    readonly offset: number,
  ) {
    super('MALFORMED_MERKLE_MESSAGE', `malformed Merkle level message at byte ${offset}: ${reason}`);
  }
}
