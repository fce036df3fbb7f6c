/**
 * The log of one partition: segment files named by base offset, appended to as received.
 *
 * Guarantees:
 * - append() validates every batch (magic 2, length, CRC-32C) before touching anything, so a bad
 *   request changes nothing; it then assigns offsets by rewriting baseOffset and leader epoch in
 *   place in the caller's buffer and writes the bytes unchanged otherwise.
 * - With flushEveryMessages: 1, append() resolves only after the log file is fsynced; a crash
 *   (kill -9, power loss) loses nothing acknowledged. Segments are sealed (fsynced) on roll, so
 *   only the last segment can have a torn tail, and open() recovers it fully. Bytes past the end
 *   of an older segment are corruption: open() never drops a later segment for them
 *   (segment-recovery.ts).
 * - read() returns file ranges of whole batches, ready to be sent to a socket without copying.
 * - The leader epoch cache (leader-epoch-cache.ts) records where each epoch starts. Its
 *   checkpoint is made durable before the batches of a new epoch are written, and cut back
 *   after the log is truncated, so after a crash it never misses an epoch present in the log;
 *   open() trims entries past the recovered log end, and rebuilds a missing checkpoint from the
 *   batch headers.
 * - Idempotent producers (producer-state.ts): the leader checks each producer batch's epoch and
 *   sequence against the table before storing it, and answers a retried batch with its original
 *   offsets instead of storing it twice. The table is fed every stored batch (leader and
 *   follower alike) and rebuilt from the batch headers on open and after a truncation.
 * - A full disk (ENOSPC) fails the append with LogDiskError and keeps nothing of it; the log
 *   takes appends again once space is freed, without a restart.
 * - Mutations (append, truncate, retention, flush, close) run one at a time in call order.
 *   Reads run alongside; a read racing with truncateTo or retention of its segment may fail.
 * - Compaction (core/log/cleaner) rewrites closed segments outside the queue; the swap of a
 *   cleaned file is a mutation, crash-safe (compaction/segment-swap.ts), and waits for the reads
 *   in flight (compaction/read-gate.ts). open() finishes or discards a swap a crash interrupted.
 */
import { mkdir, open, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { silentLogger } from '../../telemetry/logger.js';
import { fsyncDirectory } from '../../files/durable.js';
import { asLogDiskError, LogClosedError, LogDiskError, LogMisuseError, OffsetOutOfRangeError } from './errors.js';
import { DEFAULT_FLUSH_EVERY_MESSAGES, DEFAULT_INDEX_INTERVAL_BYTES, DEFAULT_RETENTION_BYTES, DEFAULT_RETENTION_MS, DEFAULT_SEGMENT_BYTES, DEFAULT_SEGMENT_MS, MAX_BATCH_BYTES, MAX_SEGMENT_BYTES, SCAN_CHUNK_BYTES } from './limits.js';
import { offsetsOf, prepareFollowerAppend, prepareLeaderAppend, type PreparedAppend } from './append-validation.js';
import { LogSegment, type FileRange } from './segment.js';
import { openSegments } from './segment-recovery.js';
import { iterateBatches, LOG_OVERHEAD_BYTES, readBatchHeader } from './record-batch.js';
import { ProducerStateTable } from './producer-state.js';
import type { EpochEndOffset, LeaderEpochCache, ReadonlyLeaderEpochCache } from './leader-epoch-cache.js';
import { epochStartOf, loadEpochCache } from './leader-epoch-recovery.js';
import { ReadGate } from './compaction/read-gate.js';
import { readLogStartCheckpoint, writeLogStartCheckpoint } from './log-start-checkpoint.js';
import { commitCleanedLog, discardCleanedLog, finishSwap, recoverInterruptedSwaps } from './compaction/segment-swap.js';

export interface PartitionLogOptions {
  /** Roll past this size (default 1 GiB, at most 2 GiB - 1). */
  segmentBytes?: number;
  /** Roll a non-empty segment this long after its first append (default 7 days). */
  segmentMs?: number;
  /** One sparse index entry per this many log bytes (default 4 KiB). */
  indexIntervalBytes?: number;
  /** Delete old segments while the log stays above this size; -1: no limit (default). */
  retentionBytes?: number;
  /** Delete segments whose newest timestamp is older than this; -1: keep forever (default 7 days). */
  retentionMs?: number;
  /** fsync once this many messages are unflushed; 1 = before every append resolves (default: never). */
  flushEveryMessages?: number;
  /** Largest batch accepted (default MAX_BATCH_BYTES, Kafka's message.max.bytes). */
  maxBatchBytes?: number;
  /** CreateTime keeps producer timestamps; LogAppendTime stamps batches with the broker's clock. */
  timestampType?: 'CreateTime' | 'LogAppendTime';
  /** Clock in ms (tests inject one). */
  now?: () => number;
  /** Where recovery reports what it cut (default: silent). */
  logger?: Logger;
}

type ResolvedOptions = Required<PartitionLogOptions>;

export interface AppendResult {
  baseOffset: number;
  lastOffset: number;
  /** The broker time stamped on the batches, or -1 under CreateTime (as Kafka's ProduceResponse). */
  logAppendTime: number;
  /** Set when an idempotent producer's retry was recognised: nothing was stored, the offsets are the original's. */
  duplicate?: true;
}

/** A closed segment as the log cleaner sees it. */
export interface ClosedSegment {
  baseOffset: number;
  logPath: string;
  sizeBytes: number;
  /** Last batch's lastOffset + 1. */
  nextOffset: number;
}

export interface ReadResult {
  /** File ranges of whole batches, in offset order; the first holds the batch containing fetchOffset. */
  ranges: FileRange[];
  sizeBytes: number;
}

const LOG_FILE = /^(\d{20})\.log$/;
const INDEX_FILE = /^(\d{20})\.(index|timeindex)$/;

function resolveOptions(options: PartitionLogOptions): ResolvedOptions {
  const resolved: ResolvedOptions = {
    segmentBytes: options.segmentBytes ?? DEFAULT_SEGMENT_BYTES,
    segmentMs: options.segmentMs ?? DEFAULT_SEGMENT_MS,
    indexIntervalBytes: options.indexIntervalBytes ?? DEFAULT_INDEX_INTERVAL_BYTES,
    retentionBytes: options.retentionBytes ?? DEFAULT_RETENTION_BYTES,
    retentionMs: options.retentionMs ?? DEFAULT_RETENTION_MS,
    flushEveryMessages: options.flushEveryMessages ?? DEFAULT_FLUSH_EVERY_MESSAGES,
    maxBatchBytes: options.maxBatchBytes ?? MAX_BATCH_BYTES,
    timestampType: options.timestampType ?? 'CreateTime',
    now: options.now ?? Date.now,
    logger: options.logger ?? silentLogger(),
  };
  if (!(resolved.segmentBytes > 0 && resolved.segmentBytes <= MAX_SEGMENT_BYTES)) throw new LogMisuseError('segmentBytes out of range', { segmentBytes: resolved.segmentBytes, max: MAX_SEGMENT_BYTES });
  if (!(resolved.flushEveryMessages >= 1)) throw new LogMisuseError('flushEveryMessages must be >= 1', { flushEveryMessages: resolved.flushEveryMessages });
  if (!(resolved.indexIntervalBytes >= 0)) throw new LogMisuseError('indexIntervalBytes must be >= 0', { indexIntervalBytes: resolved.indexIntervalBytes });
  return resolved;
}

export class PartitionLog {
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private unflushedMessages = 0;
  private readonly producers = new ProducerStateTable();
  private readonly readGate = new ReadGate();
  /** DeleteRecords' log start offset (log-start-checkpoint.ts); the first segment's base when lower. */
  private deletedBeforeOffset = 0;
  /** The last mutation failed with a disk error (so the next one is not news, see LogDiskError). */
  private failingOnDisk = false;

  private constructor(
    readonly dir: string,
    private readonly options: ResolvedOptions,
    private segments: LogSegment[],
    private readonly epochCache: LeaderEpochCache,
  ) {}

  /** Opens (creating if needed) the log in `dir`, recovering the last segment after a crash.
   * LogSegmentCorruptError when an older segment is unreadable before the next one starts. */
  static async open(dir: string, options: PartitionLogOptions = {}): Promise<PartitionLog> {
    const resolved = resolveOptions(options);
    await mkdir(dir, { recursive: true });
    await recoverInterruptedSwaps(dir);
    const config = { indexIntervalBytes: resolved.indexIntervalBytes, maxBatchBytes: resolved.maxBatchBytes };
    const baseOffsets = await listBaseOffsets(dir);
    const segments = baseOffsets.length === 0 ? [] : await openSegments(dir, baseOffsets, config, resolved.logger);
    if (segments.length === 0) segments.push(await LogSegment.create(dir, 0, config));
    await fsyncDirectory(dir);
    const log = new PartitionLog(dir, resolved, segments, await loadEpochCache(dir, segments));
    log.deletedBeforeOffset = await readLogStartCheckpoint(dir);
    await log.rebuildProducerState();
    return log;
  }

  /** The idempotent producers' state (read-only use: only the log's own mutations change it). */
  get producerState(): ProducerStateTable {
    return this.producers;
  }

  get logStartOffset(): number {
    return Math.min(Math.max(this.segments[0]!.baseOffset, this.deletedBeforeOffset), this.logEndOffset);
  }

  get logEndOffset(): number {
    return this.active.nextOffset;
  }

  get sizeBytes(): number {
    return this.segments.reduce((sum, segment) => sum + segment.sizeBytes, 0);
  }

  /** Base offsets of the segments, oldest first. */
  get segmentBaseOffsets(): number[] {
    return this.segments.map((segment) => segment.baseOffset);
  }

  /** Where each leader epoch starts, read-only: only the log's own mutations change it. */
  get leaderEpochCache(): ReadonlyLeaderEpochCache {
    return this.epochCache;
  }

  /** The newest leader epoch that wrote to this log; -1 if none did. */
  get latestEpoch(): number {
    return this.epochCache.latestEpoch;
  }

  /** OffsetForLeaderEpoch: the largest epoch <= `epoch` and where it ends (LeaderEpochCache.endOffsetFor). */
  endOffsetForEpoch(epoch: number): EpochEndOffset {
    return this.epochCache.endOffsetFor(epoch, this.logEndOffset);
  }

  private get active(): LogSegment {
    return this.segments.at(-1)!;
  }

  /** Appends producer batches as the leader: assigns offsets from logEndOffset and `leaderEpoch`.
   * Rewrites the offsets and epoch inside `batches` (the caller's buffer) in place. */
  async append(batches: Buffer, leaderEpoch: number): Promise<AppendResult> {
    const nowMs = this.options.now();
    const prepared = prepareLeaderAppend(batches, this.options.maxBatchBytes, this.options.segmentBytes);
    return this.enqueue(async () => {
      const check = this.producers.check(prepared.batches.map((batch) => batch.header));
      if (check.kind === 'duplicate') return { baseOffset: check.batch.firstOffset, lastOffset: check.batch.lastOffset, logAppendTime: -1, duplicate: true as const };
      const logAppendTime = this.options.timestampType === 'LogAppendTime' ? nowMs : -1;
      prepared.assign(this.logEndOffset, leaderEpoch, logAppendTime);
      // Durable before the batches: a crash must never leave batches of an epoch the cache lacks.
      await this.epochCache.assign(leaderEpoch, this.logEndOffset);
      return { ...(await this.write(prepared, nowMs)), logAppendTime };
    });
  }

  /** This replica became leader with `leaderEpoch`: the epoch starts at the current log end, even
   * before it writes anything (Kafka's makeLeader). A no-op for an epoch already started. */
  assignLeaderEpoch(leaderEpoch: number): Promise<void> {
    return this.enqueue(async () => {
      await this.epochCache.assign(leaderEpoch, this.logEndOffset);
    });
  }

  /** Appends batches fetched from the leader, keeping their offsets and epochs. */
  async appendAsFollower(batches: Buffer): Promise<AppendResult> {
    const nowMs = this.options.now();
    const prepared = prepareFollowerAppend(batches, this.options.maxBatchBytes, this.options.segmentBytes);
    return this.enqueue(async () => {
      prepared.checkContinues(this.logEndOffset);
      await this.epochCache.assignAll(prepared.batches.map(epochStartOf));
      return { ...(await this.write(prepared, nowMs)), logAppendTime: -1 };
    });
  }

  /**
   * File ranges of whole batches from the one containing `fetchOffset`, up to `maxBytes` (but at
   * least one batch), holding only batches whose base offset is below `upToOffset` (default: the
   * log end; consumers pass the high watermark, which lies on a batch boundary). Empty from
   * `upToOffset` on; OffsetOutOfRangeError outside [logStartOffset, logEndOffset].
   */
  async read(fetchOffset: number, maxBytes: number, upToOffset?: number): Promise<ReadResult> {
    this.checkOpen();
    const segments = this.segments;
    const end = this.logEndOffset;
    if (fetchOffset < this.logStartOffset || fetchOffset > end) throw new OffsetOutOfRangeError(fetchOffset, this.logStartOffset, end);
    const limit = Math.min(upToOffset ?? end, end);
    const ranges: FileRange[] = [];
    let sizeBytes = 0;
    if (fetchOffset >= limit) return { ranges, sizeBytes };
    const startIndex = segments.findLastIndex((segment) => segment.baseOffset <= fetchOffset);
    for (let i = startIndex; i < segments.length && sizeBytes < maxBytes && segments[i]!.baseOffset < limit; i++) {
      const segment = segments[i]!;
      const position = i === startIndex ? (await segment.positionOf(fetchOffset)).position : 0;
      const range = await segment.rangeFrom(position, maxBytes - sizeBytes, ranges.length > 0, limit);
      if (range !== undefined) {
        ranges.push(range);
        sizeBytes += range.sizeBytes;
      } else if (ranges.length > 0 && position < segment.sizeBytes) {
        break; // the next batch does not fit in what is left of maxBytes
      }
    }
    return { ranges, sizeBytes };
  }

  /** read(), with the ranges' bytes loaded into Buffers (one per range). */
  async readBuffers(fetchOffset: number, maxBytes: number, upToOffset?: number): Promise<Buffer[]> {
    return this.readGate.shared(async () => {
      const { ranges } = await this.read(fetchOffset, maxBytes, upToOffset);
      return Promise.all(ranges.map(readRange));
    });
  }

  /** The closed segments (never the active one), oldest first: what the log cleaner may rewrite. */
  closedSegments(): ClosedSegment[] {
    return this.segments.slice(0, -1).map(({ baseOffset, logPath, sizeBytes, nextOffset }) => ({ baseOffset, logPath, sizeBytes, nextOffset }));
  }

  /**
   * Puts the cleaned file `<base>.log.cleaned` (compaction/segment-swap.ts) in place of the closed
   * segment `segment`, unless that segment changed since it was read (retention, truncation,
   * another cleaning): then the cleaned file is discarded and the answer is false.
   */
  replaceWithCleaned(segment: ClosedSegment): Promise<boolean> {
    return this.enqueue(async () => {
      const index = this.segments.findIndex((candidate) => candidate.baseOffset === segment.baseOffset);
      const current = this.segments[index];
      if (current === undefined || index === this.segments.length - 1 || current.sizeBytes !== segment.sizeBytes) {
        await discardCleanedLog(this.dir, segment.baseOffset);
        return false;
      }
      await commitCleanedLog(this.dir, segment.baseOffset);
      await this.readGate.exclusively(async () => {
        await current.close();
        await finishSwap(this.dir, segment.baseOffset);
        const { segment: cleaned, invalidTailBytes } = await LogSegment.open(this.dir, segment.baseOffset, this.segmentConfig(), false);
        if (invalidTailBytes > 0) await cleaned.cutInvalidTail();
        await cleaned.seal();
        this.segments[index] = cleaned;
      });
      return true;
    });
  }

  /**
   * ListOffsets by time: the first batch whose maxTimestamp is at or after `timestampMs`, or
   * undefined when no batch is that recent. Segments are skipped by their largest timestamp;
   * within the first candidate, batches are scanned in chunks. The answer is the batch's first
   * offset (Kafka narrows to the record inside the batch; a consumer starting here sees at most
   * the rest of one batch early).
   */
  async offsetForTimestamp(timestampMs: number): Promise<{ offset: number; timestampMs: number } | undefined> {
    const segment = this.segments.find((candidate) => candidate.maxTimestampMs >= timestampMs);
    if (segment === undefined) return undefined;
    let offset = Math.max(segment.baseOffset, this.logStartOffset);
    while (offset < this.logEndOffset) {
      const buffers = await this.readBuffers(offset, SCAN_CHUNK_BYTES);
      if (buffers.length === 0) return undefined;
      for (const buffer of buffers) {
        for (const { header } of iterateBatches(buffer)) {
          if (header.maxTimestamp >= timestampMs) return { offset: Math.max(header.baseOffset, offset), timestampMs: header.maxTimestamp };
          offset = header.lastOffset + 1;
        }
      }
    }
    return undefined;
  }

  /** Removes every batch at or after `offset`. Batches are atomic, so the log ends at the start
   * of the batch containing `offset` (logEndOffset may end below `offset`). Below logStartOffset
   * the log is emptied and restarts at `offset`. Epoch entries from the new log end on go too. */
  truncateTo(offset: number): Promise<void> {
    return this.enqueue(async () => {
      if (offset < this.logEndOffset) {
        await this.truncateSegments(offset);
        await this.rebuildProducerState();
      }
      // Even with nothing to cut (as Kafka): an epoch assigned at the end whose append failed goes.
      await this.epochCache.truncateFromEnd(this.logEndOffset);
    });
  }

  /** Deletes whole old segments beyond retentionMs or retentionBytes (the log's options, or a
   * topic's overrides), never the active one; logStartOffset moves to the oldest kept segment.
   * Returns how many were deleted. */
  applyRetention(overrides: { retentionMs?: number; retentionBytes?: number } = {}): Promise<number> {
    const retentionMs = overrides.retentionMs ?? this.options.retentionMs;
    const retentionBytes = overrides.retentionBytes ?? this.options.retentionBytes;
    return this.enqueue(async () => {
      let deleted = 0;
      let excessBytes = retentionBytes < 0 ? -1 : this.sizeBytes - retentionBytes;
      while (this.segments.length > 1) {
        const oldest = this.segments[0]!;
        const tooOld = retentionMs >= 0 && (await newestTimestampMs(oldest)) < this.options.now() - retentionMs;
        const tooBig = excessBytes >= 0 && excessBytes - oldest.sizeBytes >= 0;
        if (!tooOld && !tooBig) break;
        excessBytes -= oldest.sizeBytes;
        await this.segments.shift()!.delete();
        deleted++;
      }
      // After the segments: a crash in between leaves entries below the log start, which open() trims.
      if (deleted > 0) await this.epochCache.truncateFromStart(this.logStartOffset);
      return deleted;
    });
  }

  /** DeleteRecords: the log starts at `offset` (<= logEndOffset) from now on; whole segments
   * below it are deleted, the rest hidden. Durable before it resolves. Returns the new log start. */
  deleteRecordsBefore(offset: number): Promise<number> {
    return this.enqueue(async () => {
      if (!(Number.isSafeInteger(offset) && offset <= this.logEndOffset)) throw new OffsetOutOfRangeError(offset, this.logStartOffset, this.logEndOffset);
      if (offset <= this.logStartOffset) return this.logStartOffset;
      await writeLogStartCheckpoint(this.dir, offset);
      this.deletedBeforeOffset = offset;
      while (this.segments.length > 1 && this.segments[1]!.baseOffset <= offset) await this.segments.shift()!.delete();
      await this.epochCache.truncateFromStart(this.logStartOffset);
      return this.logStartOffset;
    });
  }

  /** fsyncs the active segment and its indexes (older segments were fsynced when rolled). */
  flush(): Promise<void> {
    return this.enqueue(async () => {
      await this.active.flush();
      this.unflushedMessages = 0;
    });
  }

  close(): Promise<void> {
    return this.enqueue(async () => {
      for (const segment of this.segments) await segment.close();
      this.closed = true;
    });
  }

  private async write(prepared: PreparedAppend, nowMs: number): Promise<{ baseOffset: number; lastOffset: number }> {
    const { baseOffset, lastOffset } = offsetsOf(prepared);
    if (this.shouldRoll(prepared.buffer.length, lastOffset, nowMs)) await this.roll();
    await this.active.append(prepared.buffer, prepared.batches, nowMs);
    for (const { header } of prepared.batches) this.producers.record(header);
    this.unflushedMessages += lastOffset - baseOffset + 1;
    if (this.unflushedMessages >= this.options.flushEveryMessages) {
      // Only the log needs fsync before acknowledging: recovery rebuilds the last segment's indexes.
      await this.active.flushLog();
      this.unflushedMessages = 0;
    }
    return { baseOffset, lastOffset };
  }

  /**
   * Rebuilds the producer table from the batch headers of the whole log (headers only: no CRC,
   * no records). Kafka bounds this with periodic snapshots; here it is a scan of the log.
   */
  private async rebuildProducerState(): Promise<void> {
    this.producers.clear();
    let offset = this.logStartOffset;
    while (offset < this.logEndOffset) {
      const buffers = await this.readBuffers(offset, SCAN_CHUNK_BYTES);
      if (buffers.length === 0) break;
      for (const buffer of buffers) {
        for (let position = 0; position + LOG_OVERHEAD_BYTES < buffer.length; ) {
          const header = readBatchHeader(buffer, position, Number.MAX_SAFE_INTEGER);
          if (header.lastOffset >= offset) this.producers.record(header);
          offset = Math.max(offset, header.lastOffset + 1);
          position += header.sizeBytes;
        }
      }
    }
  }

  private async truncateSegments(offset: number): Promise<void> {
    while (this.segments.length > 0 && this.active.baseOffset >= offset) await this.segments.pop()!.delete();
    if (this.segments.length === 0) this.segments.push(await LogSegment.create(this.dir, offset, this.segmentConfig()));
    else await this.active.truncateTo(offset);
    await this.active.flush();
    await fsyncDirectory(this.dir);
    this.unflushedMessages = 0;
  }

  private shouldRoll(incomingBytes: number, lastOffset: number, nowMs: number): boolean {
    const active = this.active;
    if (active.isEmpty()) return false;
    const full = active.sizeBytes + incomingBytes > this.options.segmentBytes;
    const old = active.rollStartMs !== undefined && nowMs - active.rollStartMs >= this.options.segmentMs;
    return full || old || !active.canHoldOffset(lastOffset);
  }

  /** Seals the active segment (fsync) and starts a new one at logEndOffset. */
  private async roll(): Promise<void> {
    await this.active.seal();
    this.segments.push(await LogSegment.create(this.dir, this.logEndOffset, this.segmentConfig()));
    // The new file's directory entry must be durable before anything in it is acknowledged.
    await fsyncDirectory(this.dir);
  }

  private segmentConfig() {
    return { indexIntervalBytes: this.options.indexIntervalBytes, maxBatchBytes: this.options.maxBatchBytes };
  }

  private checkOpen(): void {
    if (this.closed) throw new LogClosedError(this.dir);
  }

  private enqueue<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.queue
      .then(() => {
        this.checkOpen();
        return operation();
      })
      .then(
        (result) => {
          this.failingOnDisk = false;
          return result;
        },
        // A disk error answers KAFKA_STORAGE_ERROR (retriable), not UNKNOWN_SERVER_ERROR.
        (error: unknown) => {
          const failure = asLogDiskError(error, this.dir);
          if (failure instanceof LogDiskError) {
            failure.firstSinceSuccess = !this.failingOnDisk;
            this.failingOnDisk = true;
          }
          throw failure;
        },
      );
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** A segment's newest timestamp for time retention; without timestamps, its file's mtime (as Kafka). */
async function newestTimestampMs(segment: LogSegment): Promise<number> {
  return segment.maxTimestampMs >= 0 ? segment.maxTimestampMs : segment.lastModifiedMs();
}

async function readRange(range: FileRange): Promise<Buffer> {
  const handle = await open(range.path, 'r');
  try {
    const buffer = Buffer.alloc(range.sizeBytes);
    const { bytesRead } = await handle.read(buffer, 0, range.sizeBytes, range.position);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Base offsets of the `.log` files, ascending; removes index files left without their log. */
async function listBaseOffsets(dir: string): Promise<number[]> {
  const names = await readdir(dir);
  const logs = new Set(names.flatMap((name) => LOG_FILE.exec(name)?.[1] ?? []));
  for (const name of names) {
    const match = INDEX_FILE.exec(name);
    if (match !== null && !logs.has(match[1]!)) await rm(join(dir, name), { force: true });
  }
  return [...logs].map(Number).sort((a, b) => a - b);
}
