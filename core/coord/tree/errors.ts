/**
 * Typed errors of the data tree. Normal request failures are never thrown: they are returned as
 * ZooKeeper error codes. These classes are for states that must stop the replica: a snapshot that
 * cannot be trusted, or a broken internal invariant (a bug that would let replicas diverge).
 */

export type TreeErrorCode = 'CORRUPT_SNAPSHOT' | 'INVARIANT_VIOLATED';

export class TreeError extends Error {
  constructor(
    readonly code: TreeErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class CorruptSnapshotError extends TreeError {
  constructor(
    readonly reason: string,
    readonly offsetBytes: number,
  ) {
    super('CORRUPT_SNAPSHOT', `data tree snapshot is corrupt at byte ${offsetBytes}: ${reason}; discard it and fetch a fresh snapshot from the leader`);
  }
}

export class InvariantViolationError extends TreeError {
  constructor(
    readonly invariant: string,
    readonly path: string,
  ) {
    super('INVARIANT_VIOLATED', `data tree invariant broken at ${JSON.stringify(path)}: ${invariant}; this replica must not keep serving`);
  }
}
