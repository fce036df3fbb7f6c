/**
 * Typed errors of the serving node's key-value storage: a code, the offending values, and what
 * to do. The RESP layer maps KEY_TOO_LARGE / VALUE_TOO_LARGE / STORE_MISUSE onto an error reply
 * for that command and keeps serving; the others mean the node's storage needs attention.
 */
export type StorageErrorCode =
  | 'KEY_TOO_LARGE'
  | 'VALUE_TOO_LARGE'
  | 'CORRUPT_RECORD'
  | 'CORRUPT_MERGE_COMMIT'
  | 'STORE_CLOSED'
  | 'STORE_FAILED'
  | 'DISK_FULL'
  | 'MERGE_IN_PROGRESS'
  | 'INVARIANT_VIOLATED'
  | 'STORE_MISUSE';

export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class KeyTooLargeError extends StorageError {
  constructor(
    readonly sizeBytes: number,
    readonly maxBytes: number,
  ) {
    super('KEY_TOO_LARGE', `key of ${sizeBytes} bytes exceeds the limit of ${maxBytes} bytes; use a shorter key (or hash it)`);
  }
}

export class ValueTooLargeError extends StorageError {
  constructor(
    readonly sizeBytes: number,
    readonly maxBytes: number,
  ) {
    super('VALUE_TOO_LARGE', `value of ${sizeBytes} bytes exceeds the limit of ${maxBytes} bytes; split it over several keys`);
  }
}

/** A stored record fails its CRC or does not match the key directory: the disk returned other
 * bytes than were written. The key is unreadable until it is written again. */
export class CorruptRecordError extends StorageError {
  constructor(
    readonly fileId: number,
    readonly position: number,
    readonly reason: string,
  ) {
    super('CORRUPT_RECORD', `corrupt record in data file ${fileId} at byte ${position}: ${reason}; rewrite the key or restore the node from its replicas`);
  }
}

/** The merge commit file exists but cannot be read: the store cannot tell which files are live. */
export class CorruptMergeCommitError extends StorageError {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super('CORRUPT_MERGE_COMMIT', `merge commit file ${path} is unreadable (${reason}); restore the node from its replicas`);
  }
}

export class StoreClosedError extends StorageError {
  constructor(readonly dir: string) {
    super('STORE_CLOSED', `key-value store in ${dir} is closed; open it again`);
  }
}

/** A write or fsync failed. Writes stop for good: after a failed fsync the kernel may have dropped
 * the dirty pages, so retrying could acknowledge data that is not on disk (PostgreSQL's
 * "fsyncgate"). Reopening the store recovers from what the disk really holds. */
export class StoreFailedError extends StorageError {
  constructor(
    readonly dir: string,
    cause: unknown,
  ) {
    super('STORE_FAILED', `key-value store in ${dir} stopped accepting writes after a disk error (${String(cause)}); reopen it`, { cause });
  }
}

/** A write found the disk full (ENOSPC, EDQUOT). Unlike a failed fsync this loses nothing already
 * written: the partial record was cut off the file, so the store keeps serving reads and takes
 * writes again as soon as space is freed. */
export class StoreFullError extends StorageError {
  constructor(
    readonly dir: string,
    cause: NodeJS.ErrnoException,
  ) {
    super('DISK_FULL', `key-value store in ${dir} is out of disk space (${cause.code}); the write was not stored — free space on that disk and retry`, { cause });
  }
}

export class MergeInProgressError extends StorageError {
  constructor(readonly dir: string) {
    super('MERGE_IN_PROGRESS', `a merge of ${dir} is already running; await it before starting another`);
  }
}

/** The caller broke a contract (bad option, bad argument): a bug, not a disk or client fault. */
export class StorageMisuseError extends StorageError {
  constructor(
    readonly reason: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super('STORE_MISUSE', `key-value store misuse: ${reason} ${JSON.stringify(details)}`);
  }
}

/** An internal invariant does not hold: a bug in the store; it stops rather than corrupt data. */
export class InvariantViolationError extends StorageError {
  constructor(
    readonly invariant: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super('INVARIANT_VIOLATED', `key-value store invariant violated: ${invariant} ${JSON.stringify(details)}; please report this bug`);
  }
}
