/**
 * Typed errors of partition log storage: a code, the offending values, and what to do. Each
 * carries the Kafka protocol error code the broker should answer with, so a bad produce request
 * fails that partition only and the broker keeps serving everyone else.
 */
import { dirname } from 'node:path';

export type LogStorageErrorCode =
  | 'BATCH_TRUNCATED'
  | 'BATCH_BAD_MAGIC'
  | 'BATCH_BAD_LENGTH'
  | 'BATCH_BAD_CRC'
  | 'BATCH_BAD_RECORD_COUNT'
  | 'BATCH_BAD_RECORDS'
  | 'BATCH_BAD_COMPRESSION'
  | 'BATCH_TOO_LARGE'
  | 'OFFSET_OUT_OF_RANGE'
  | 'OFFSET_NOT_MONOTONIC'
  | 'LOG_CLOSED'
  | 'LOG_MISUSE'
  | 'DISK_ERROR'
  | 'SEGMENT_CORRUPT'
  | ProducerStateErrorCode;

/** Kafka protocol error codes (org.apache.kafka.common.protocol.Errors). */
export const KAFKA_ERROR = {
  OFFSET_OUT_OF_RANGE: 1,
  CORRUPT_MESSAGE: 2,
  MESSAGE_TOO_LARGE: 10,
  OUT_OF_ORDER_SEQUENCE_NUMBER: 45,
  INVALID_PRODUCER_EPOCH: 47,
  KAFKA_STORAGE_ERROR: 56,
  UNKNOWN_PRODUCER_ID: 59,
  INVALID_RECORD: 87,
} as const;

export class LogStorageError extends Error {
  constructor(
    readonly code: LogStorageErrorCode,
    readonly kafkaErrorCode: number,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export type CorruptRecordBatchCode = 'BATCH_TRUNCATED' | 'BATCH_BAD_MAGIC' | 'BATCH_BAD_LENGTH' | 'BATCH_BAD_CRC' | 'BATCH_BAD_RECORD_COUNT' | 'BATCH_BAD_RECORDS' | 'BATCH_BAD_COMPRESSION';

/** A record batch fails validation. `offset` is the byte offset of the batch in the buffer or
 * file being parsed (not a log offset). On append: reject the request with CORRUPT_MESSAGE. In a
 * file during recovery: the torn tail starts here. */
export class CorruptRecordBatchError extends LogStorageError {
  declare readonly code: CorruptRecordBatchCode;

  constructor(
    code: CorruptRecordBatchCode,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(code, KAFKA_ERROR.CORRUPT_MESSAGE, `corrupt record batch at byte ${offset}: ${reason}; the producer must resend it`);
  }
}

export class RecordBatchTooLargeError extends LogStorageError {
  constructor(
    readonly sizeBytes: number,
    readonly maxBytes: number,
  ) {
    super('BATCH_TOO_LARGE', KAFKA_ERROR.MESSAGE_TOO_LARGE, `record batch of ${sizeBytes} bytes exceeds the limit of ${maxBytes}; split it or raise maxBatchBytes`);
  }
}

export class OffsetOutOfRangeError extends LogStorageError {
  constructor(
    readonly requestedOffset: number,
    readonly logStartOffset: number,
    readonly logEndOffset: number,
  ) {
    super(
      'OFFSET_OUT_OF_RANGE',
      KAFKA_ERROR.OFFSET_OUT_OF_RANGE,
      `offset ${requestedOffset} is outside the log [${logStartOffset}, ${logEndOffset}]; reset the fetch position`,
    );
  }
}

/** A follower appended batches whose offsets do not continue the log: truncate first. */
export class OffsetNotMonotonicError extends LogStorageError {
  constructor(
    readonly baseOffset: number,
    readonly expectedAtLeast: number,
  ) {
    super('OFFSET_NOT_MONOTONIC', KAFKA_ERROR.INVALID_RECORD, `batch base offset ${baseOffset} is below the expected ${expectedAtLeast}; truncate the follower log first`);
  }
}

export class LogClosedError extends LogStorageError {
  constructor(readonly dir: string) {
    super('LOG_CLOSED', KAFKA_ERROR.KAFKA_STORAGE_ERROR, `partition log in ${dir} is closed; open it again`);
  }
}

/** A file operation of the log failed: the disk is full (ENOSPC, EDQUOT) or failing. An append that
 * fails this way kept nothing — the partial batch is cut off the segment — so the producer may
 * retry (KAFKA_STORAGE_ERROR is retriable); a full disk takes writes again once space is freed. */
export class LogDiskError extends LogStorageError {
  readonly diskFull: boolean;
  /** True for the first disk error after a write that succeeded (or since open): the one to log. */
  firstSinceSuccess = true;

  constructor(
    readonly dir: string,
    readonly errnoError: NodeJS.ErrnoException,
  ) {
    const cause = errnoError;
    const diskFull = cause.code === 'ENOSPC' || cause.code === 'EDQUOT';
    super(
      'DISK_ERROR',
      KAFKA_ERROR.KAFKA_STORAGE_ERROR,
      diskFull
        ? `the disk holding partition log ${dir} is full (${cause.code}); nothing of this write was kept — free space there and writes resume`
        : `disk error in partition log ${dir} (${cause.code ?? 'no code'} in ${cause.syscall ?? 'a file operation'}: ${cause.message}); check that disk`,
    );
    this.diskFull = diskFull;
  }
}

/** A failed file operation (an error from node:fs) as a LogDiskError; anything else unchanged. */
export function asLogDiskError(error: unknown, dir: string): unknown {
  const errno = error as Partial<NodeJS.ErrnoException> | null;
  if (error instanceof LogStorageError || typeof errno?.code !== 'string' || typeof errno.syscall !== 'string') return error;
  return new LogDiskError(dir, error as NodeJS.ErrnoException);
}

/**
 * Opening a log found an older (sealed) segment whose bytes stop being valid batches before its
 * records reach the next segment's base offset. A sealed segment was fsynced when it was rolled,
 * so no crash tears it: this is disk corruption, and cutting it would leave a silent hole of
 * acknowledged records in the middle of the log (a replica would never fetch them again, its log
 * end being unchanged). The log refuses to open and changes no .log file (index files are
 * derived and may be rewritten); the message says the ways out.
 */
export class LogSegmentCorruptError extends LogStorageError {
  constructor(
    readonly path: string,
    /** Where the valid batches of the file end, and the file's size. */
    readonly validBytes: number,
    readonly fileBytes: number,
    /** The offsets [missingFromOffset, nextSegmentBaseOffset) are unreadable there. */
    readonly missingFromOffset: number,
    readonly nextSegmentBaseOffset: number,
  ) {
    super(
      'SEGMENT_CORRUPT',
      KAFKA_ERROR.KAFKA_STORAGE_ERROR,
      `log segment ${path} is corrupt from byte ${validBytes} of ${fileBytes}: offsets ${missingFromOffset} to ${nextSegmentBaseOffset - 1} are unreadable while the next ` +
        `segment goes on from ${nextSegmentBaseOffset}; no log file was changed. If other replicas hold this partition, delete ${dirname(path)} and let this broker ` +
        `fetch it again; if this is the only copy, cut the file to ${validBytes} bytes (truncate -s ${validBytes}) to keep every other record and lose those offsets`,
    );
  }
}

/** The caller broke a contract (bad option, bad argument): a bug, not a disk or client fault. */
export class LogMisuseError extends LogStorageError {
  constructor(
    readonly reason: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super('LOG_MISUSE', KAFKA_ERROR.KAFKA_STORAGE_ERROR, `partition log misuse: ${reason} ${JSON.stringify(details)}`);
  }
}

export type ProducerStateErrorCode = 'OUT_OF_ORDER_SEQUENCE' | 'INVALID_PRODUCER_EPOCH' | 'UNKNOWN_PRODUCER_ID' | 'INVALID_PRODUCER_BATCH';

const PRODUCER_KAFKA_ERROR: Record<ProducerStateErrorCode, number> = {
  OUT_OF_ORDER_SEQUENCE: KAFKA_ERROR.OUT_OF_ORDER_SEQUENCE_NUMBER,
  INVALID_PRODUCER_EPOCH: KAFKA_ERROR.INVALID_PRODUCER_EPOCH,
  UNKNOWN_PRODUCER_ID: KAFKA_ERROR.UNKNOWN_PRODUCER_ID,
  INVALID_PRODUCER_BATCH: KAFKA_ERROR.INVALID_RECORD,
};

/** An idempotent producer's batch breaks its producer's sequence or epoch (producer-state.ts);
 * nothing was stored. The producer resends in order, or (fenced, unknown) starts a new epoch. */
export class ProducerStateError extends LogStorageError {
  declare readonly code: ProducerStateErrorCode;

  constructor(
    code: ProducerStateErrorCode,
    readonly producerId: number,
    readonly reason: string,
  ) {
    super(code, PRODUCER_KAFKA_ERROR[code], `producer ${producerId}: ${reason}`);
  }
}
