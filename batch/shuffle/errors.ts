/**
 * Typed errors of the shuffle. Each carries a stable `code`, the offending values and whether the
 * scheduler can fix it by retrying (`retriable`): a ShuffleFetchFailedError is retriable after the
 * named map output is recomputed from lineage; a record that cannot be serialised is the user's to fix.
 */

export type ShuffleErrorCode =
  | 'RECORD_NOT_SERIALIZABLE'
  | 'RECORD_TOO_LARGE'
  | 'SHUFFLE_FETCH_FAILED'
  | 'CORRUPT_FRAME'
  | 'SPILL_READ_FAILED'
  | 'INVALID_PARTITION'
  | 'INVALID_OPTION'
  | 'WRITER_ALREADY_USED'
  | 'INVARIANT_VIOLATED';

export class ShuffleError extends Error {
  constructor(
    readonly code: ShuffleErrorCode,
    message: string,
    readonly retriable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class RecordNotSerializableError extends ShuffleError {
  constructor(
    /** Type of the value that cannot be cloned, e.g. "function", "symbol", "WeakMap". */
    readonly valueType: string,
    /** Where it sits in the record, e.g. "record.value.handlers[0]". */
    readonly path: string,
    cause?: unknown,
  ) {
    super(
      'RECORD_NOT_SERIALIZABLE',
      `a shuffled record holds a ${valueType} at ${path}, which cannot be serialised (v8 structured clone); ` +
        'shuffle plain data only: strings, numbers, bigints, booleans, null, arrays, plain objects, Maps, Sets, Dates, typed arrays',
      false,
      { cause },
    );
  }
}

export class RecordTooLargeError extends ShuffleError {
  constructor(
    readonly sizeBytes: number,
    readonly maxBytes: number,
    /** Type of the record's key, to help find it. */
    readonly keyType: string,
  ) {
    super(
      'RECORD_TOO_LARGE',
      `a shuffled record (key of type ${keyType}) serialises to ${sizeBytes} bytes, over the limit of ${maxBytes} bytes; ` +
        'split the value into smaller records or raise maxRecordBytes',
      false,
    );
  }
}

/** A map output could not be read: missing, truncated or corrupt data or index file. The scheduler
 * recomputes map task `mapPartition` of shuffle `shuffleId` from lineage and retries the reduce task. */
export class ShuffleFetchFailedError extends ShuffleError {
  constructor(
    readonly shuffleId: number,
    readonly mapPartition: number,
    readonly path: string,
    readonly reason: string,
    cause?: unknown,
  ) {
    super(
      'SHUFFLE_FETCH_FAILED',
      `cannot read the output of map partition ${mapPartition} of shuffle ${shuffleId} (${path}): ${reason}; recompute that map task`,
      true,
      { cause },
    );
  }
}

/** A frame in a shuffle or spill file does not decode: short, oversized, bad checksum or not records. */
export class CorruptFrameError extends ShuffleError {
  constructor(
    readonly path: string,
    readonly offset: number,
    readonly reason: string,
  ) {
    super('CORRUPT_FRAME', `corrupt shuffle frame in ${path} at byte ${offset}: ${reason}`, true);
  }
}

/** A spill file this process wrote could not be read back: the local disk lost or damaged it. */
export class SpillReadFailedError extends ShuffleError {
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    super('SPILL_READ_FAILED', `cannot read back spill file ${path}: ${describeCause(cause)}; check the spill directory's disk`, true, { cause });
  }
}

export class InvalidPartitionError extends ShuffleError {
  constructor(
    readonly partition: number,
    readonly numPartitions: number,
    readonly partitionerName: string,
  ) {
    super('INVALID_PARTITION', `${partitionerName} returned partition ${partition}, outside 0..${numPartitions - 1}; fix the partitioner`, false);
  }
}

export class InvalidShuffleOptionError extends ShuffleError {
  constructor(
    readonly option: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super('INVALID_OPTION', `shuffle option ${option} = ${String(value)} is invalid: expected ${expected}`, false);
  }
}

export class WriterAlreadyUsedError extends ShuffleError {
  constructor(
    readonly shuffleId: number,
    readonly mapPartition: number,
  ) {
    super('WRITER_ALREADY_USED', `the writer of map partition ${mapPartition} of shuffle ${shuffleId} already wrote its output; create a new ShuffleWriter per task attempt`, false);
  }
}

/** A bug in the shuffle itself: an internal precondition did not hold. */
export class ShuffleInvariantError extends ShuffleError {
  constructor(readonly invariant: string) {
    super('INVARIANT_VIOLATED', `shuffle invariant violated: ${invariant}; this is a bug in batch/shuffle`, false);
  }
}

export function describeCause(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
