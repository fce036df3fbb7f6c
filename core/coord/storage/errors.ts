/** Typed errors of Raft disk storage: the code, the offending path or values, and what to do. */
export type StorageErrorCode = 'STORAGE_CORRUPT' | 'STORAGE_MISUSE' | 'STORAGE_CLOSED';

export class RaftStorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A file written atomically (hard state, snapshot) fails its checksum: the disk lost data that
 * was fsynced. Not repairable here; restore this member from a peer (wipe its directory). */
export class StorageCorruptError extends RaftStorageError {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super('STORAGE_CORRUPT', `${path} is corrupt (${reason}); wipe this member's data directory so it re-syncs from the leader`);
  }
}

/** The caller broke the persist contract (e.g. non-contiguous entries): a bug, not a disk fault. */
export class StorageMisuseError extends RaftStorageError {
  constructor(
    readonly reason: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super('STORAGE_MISUSE', `raft storage misuse: ${reason} ${JSON.stringify(details)}`);
  }
}

export class StorageClosedError extends RaftStorageError {
  constructor(readonly dir: string) {
    super('STORAGE_CLOSED', `raft storage in ${dir} is closed; open it again`);
  }
}
