/**
 * Everything append() checks before it touches the log, so a bad request changes nothing: each
 * batch must parse, pass its CRC-32C, fit maxBatchBytes; the whole request must fit a segment.
 * Then, inside the log's queue, the leader assigns offsets (and maybe LogAppendTime) and the
 * follower checks that the leader's offsets continue its log.
 */
import { CorruptRecordBatchError, OffsetNotMonotonicError, RecordBatchTooLargeError } from './errors.js';
import { assignOffsets, iterateBatches, stampLogAppendTime, type PositionedBatch } from './record-batch.js';
import { validateBatchRecords } from './record-validation.js';

export interface PreparedAppend {
  readonly buffer: Buffer;
  readonly batches: PositionedBatch[];
}

export function offsetsOf(prepared: PreparedAppend): { baseOffset: number; lastOffset: number } {
  return { baseOffset: prepared.batches[0]!.header.baseOffset, lastOffset: prepared.batches.at(-1)!.header.lastOffset };
}

function parseAll(buffer: Buffer, maxBatchBytes: number, segmentBytes: number): PositionedBatch[] {
  if (buffer.length === 0) throw new CorruptRecordBatchError('BATCH_TRUNCATED', 0, 'an append needs at least one batch');
  // Kafka's rule too: a request larger than a segment could never be stored whole in one.
  if (buffer.length > segmentBytes) throw new RecordBatchTooLargeError(buffer.length, segmentBytes);
  // Parse without the size limit first, so an oversized batch reports MESSAGE_TOO_LARGE, not CORRUPT.
  const batches = [...iterateBatches(buffer, Number.MAX_SAFE_INTEGER)];
  for (const { header } of batches) if (header.sizeBytes > maxBatchBytes) throw new RecordBatchTooLargeError(header.sizeBytes, maxBatchBytes);
  return batches;
}

export class LeaderAppend implements PreparedAppend {
  constructor(
    readonly buffer: Buffer,
    readonly batches: PositionedBatch[],
  ) {}

  /** Rewrites offsets from `logEndOffset` and the leader epoch in place; stamps LogAppendTime if >= 0. */
  assign(logEndOffset: number, leaderEpoch: number, logAppendTimeMs: number): void {
    let next = logEndOffset;
    for (const { position, header } of this.batches) {
      assignOffsets(this.buffer, position, next, leaderEpoch);
      if (logAppendTimeMs >= 0) stampLogAppendTime(this.buffer, position, header, logAppendTimeMs);
      header.baseOffset = next;
      header.lastOffset = next + header.lastOffsetDelta;
      header.partitionLeaderEpoch = leaderEpoch;
      if (logAppendTimeMs >= 0) header.maxTimestamp = logAppendTimeMs;
      next = header.lastOffset + 1;
    }
  }
}

/** Producer batches: besides parsing, each must hold recordsCount records numbered 0..count-1
 * (decompressed for the check if compressed; stored as received either way). */
export function prepareLeaderAppend(buffer: Buffer, maxBatchBytes: number, segmentBytes: number): LeaderAppend {
  const batches = parseAll(buffer, maxBatchBytes, segmentBytes);
  for (const { position, header } of batches) {
    if (header.recordsCount < 1 || header.lastOffsetDelta !== header.recordsCount - 1) {
      throw new CorruptRecordBatchError('BATCH_BAD_RECORD_COUNT', position, `recordsCount ${header.recordsCount} with lastOffsetDelta ${header.lastOffsetDelta}`);
    }
    validateBatchRecords(buffer, position, header);
  }
  return new LeaderAppend(buffer, batches);
}

export class FollowerAppend implements PreparedAppend {
  constructor(
    readonly buffer: Buffer,
    readonly batches: PositionedBatch[],
  ) {}

  /** Offsets must grow from `logEndOffset` on (gaps are allowed: the leader may have compacted). */
  checkContinues(logEndOffset: number): void {
    let expected = logEndOffset;
    for (const { header } of this.batches) {
      if (header.baseOffset < expected) throw new OffsetNotMonotonicError(header.baseOffset, expected);
      expected = header.lastOffset + 1;
    }
  }
}

export function prepareFollowerAppend(buffer: Buffer, maxBatchBytes: number, segmentBytes: number): FollowerAppend {
  return new FollowerAppend(buffer, parseAll(buffer, maxBatchBytes, segmentBytes));
}
