/**
 * Typed errors of the partitioners and the default key ordering. Each carries a code, the
 * offending value (or a description of it) and what to do instead.
 */

export type PartitioningErrorCode =
  | 'INVALID_PARTITION_COUNT'
  | 'INVALID_BOUNDARIES'
  | 'UNHASHABLE_KEY'
  | 'UNORDERABLE_KEY';

export class PartitioningError extends Error {
  constructor(
    readonly code: PartitioningErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A partition count that is not an integer in 1..MAX_PARTITIONS. */
export class InvalidPartitionCountError extends PartitioningError {
  declare readonly code: 'INVALID_PARTITION_COUNT';
  constructor(
    readonly partitioner: string,
    readonly numPartitions: unknown,
    readonly maxPartitions: number,
  ) {
    super('INVALID_PARTITION_COUNT', `${partitioner}: numPartitions must be an integer in 1..${maxPartitions}, got ${String(numPartitions)}`);
  }
}

/** Range boundaries that are not strictly increasing under the ordering, or too many. */
export class InvalidBoundariesError extends PartitioningError {
  declare readonly code: 'INVALID_BOUNDARIES';
  constructor(detail: string) {
    super('INVALID_BOUNDARIES', `RangePartitioner: ${detail}; build it with RangePartitioner.fromSample or pass boundaries sorted and deduplicated under its ordering`);
  }
}

/** A key the hash partitioner cannot encode canonically (a function, a class instance, a cycle). */
export class UnhashableKeyError extends PartitioningError {
  declare readonly code: 'UNHASHABLE_KEY';
  constructor(detail: string, cause: unknown) {
    super('UNHASHABLE_KEY', `HashPartitioner: ${detail}; use scalars, arrays, Buffers, Dates or plain objects as keys`, { cause });
  }
}

/** A key the default ordering cannot compare (a function, a symbol, a class instance, too deep). */
export class UnorderableKeyError extends PartitioningError {
  declare readonly code: 'UNORDERABLE_KEY';
  constructor(readonly valueType: string, detail: string) {
    super('UNORDERABLE_KEY', `default key ordering: ${detail}; pass your own ordering to sortByKey/partitionBy for such keys`);
  }
}
