/**
 * One segment of a partition log: `<20-digit base offset>.log` holding record batches exactly as
 * appended, plus its sparse `.index` and `.timeindex` (see indexes.ts). The segment appends with
 * positional writes (so truncation can rewind it), knows its size, next offset and max
 * timestamp, translates offsets to file positions, and checks itself on open: a full recovery
 * verifies every CRC, ends the segment before the first bad or short batch and rebuilds both
 * indexes; whether the bytes past that end are cut is the log's call (segment-recovery.ts).
 */
import { appendFile, open, readFile, rm, truncate, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { checkIndex, OFFSET_INDEX, SegmentIndex, TIME_INDEX } from './indexes.js';
import { LOOKUP_CHUNK_BYTES, MAX_RELATIVE_OFFSET, SCAN_CHUNK_BYTES } from './limits.js';
import type { PositionedBatch } from './record-batch.js';
import { scanBatches } from './segment-scan.js';
import { writeFully } from '../../files/durable.js';

export interface SegmentConfig {
  indexIntervalBytes: number;
  maxBatchBytes: number;
}

/** A byte range of a segment file holding whole batches, ready to be sent as is. */
export interface FileRange {
  path: string;
  position: number;
  sizeBytes: number;
  /** Base offset of the first batch and last offset of the last batch in the range. */
  firstOffset: number;
  lastOffset: number;
}

export function segmentFileName(baseOffset: number, extension: '.log' | '.index' | '.timeindex'): string {
  return `${String(baseOffset).padStart(20, '0')}${extension}`;
}

async function readIfExists(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes `index` as the file at `path` unless it holds it already; returns the entries the file
 * holds: all of them, or none when the disk is full. */
async function rewriteIndexFile(path: string, index: SegmentIndex): Promise<number> {
  const bytes = index.encode();
  const stored = await readIfExists(path);
  if (stored !== undefined && stored.equals(bytes)) return index.entries.length;
  try {
    await writeFile(path, bytes);
    return index.entries.length;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOSPC' && code !== 'EDQUOT') throw error;
    await writeFile(path, Buffer.alloc(0));
    return 0;
  }
}

export class LogSegment {
  readonly logPath: string;
  readonly indexPath: string;
  readonly timeIndexPath: string;
  sizeBytes = 0;
  /** Offset the next appended batch gets: last batch's lastOffset + 1, or the base if empty. */
  nextOffset: number;
  /** Largest batch maxTimestamp in the segment; -1 while it has none. */
  maxTimestampMs = -1;
  /** When the segment started, for rolling by time: its first batch's timestamp, else wall clock. */
  rollStartMs: number | undefined;
  private offsetIndex = new SegmentIndex(OFFSET_INDEX);
  private timeIndex = new SegmentIndex(TIME_INDEX);
  private bytesSinceLastIndexEntry = 0;
  /** Index entries already written to the index files. */
  private writtenOffsetEntries = 0;
  private writtenTimeEntries = 0;
  /** A failed append may have left bytes past sizeBytes that are not cut off yet. */
  private tailPastSize = false;

  private constructor(
    readonly dir: string,
    readonly baseOffset: number,
    private readonly handle: FileHandle,
    private readonly config: SegmentConfig,
  ) {
    this.logPath = join(dir, segmentFileName(baseOffset, '.log'));
    this.indexPath = join(dir, segmentFileName(baseOffset, '.index'));
    this.timeIndexPath = join(dir, segmentFileName(baseOffset, '.timeindex'));
    this.nextOffset = baseOffset;
  }

  /** A new, empty segment; the caller fsyncs the directory. */
  static async create(dir: string, baseOffset: number, config: SegmentConfig): Promise<LogSegment> {
    const handle = await open(join(dir, segmentFileName(baseOffset, '.log')), 'wx+');
    const segment = new LogSegment(dir, baseOffset, handle, config);
    try {
      await writeFile(segment.indexPath, Buffer.alloc(0));
      await writeFile(segment.timeIndexPath, Buffer.alloc(0));
    } catch (error) {
      // Left behind (a disk out of inodes), the log file would make every later roll fail with
      // EEXIST, even once space is freed.
      await segment.delete().catch(() => undefined);
      throw error;
    }
    return segment;
  }

  /**
   * An existing segment. `fullRecovery` (the last segment after a crash) verifies every batch;
   * otherwise the stored indexes are trusted if consistent and only the tail after the last
   * offset index entry is scanned. The segment ends at its last valid batch; the file is left as
   * it is: `invalidTailBytes` says how much of it lies past that end, for the caller to judge
   * (a torn write, or corruption) before cutting it with cutInvalidTail().
   */
  static async open(dir: string, baseOffset: number, config: SegmentConfig, fullRecovery: boolean): Promise<{ segment: LogSegment; invalidTailBytes: number }> {
    const handle = await open(join(dir, segmentFileName(baseOffset, '.log')), 'r+');
    const segment = new LogSegment(dir, baseOffset, handle, config);
    const fileSizeBytes = (await handle.stat()).size;
    segment.sizeBytes = fileSizeBytes;
    if (fullRecovery || !(await segment.loadIndexes())) await segment.recover();
    return { segment, invalidTailBytes: fileSizeBytes - segment.sizeBytes };
  }

  isEmpty(): boolean {
    return this.sizeBytes === 0;
  }

  /** True if a batch ending at `lastOffset` still fits the int32 relative offsets of the indexes. */
  canHoldOffset(lastOffset: number): boolean {
    return lastOffset - this.baseOffset <= MAX_RELATIVE_OFFSET;
  }

  /** Appends already validated batches (their offsets assigned) that lie in `buffer` back to back. */
  async append(buffer: Buffer, batches: PositionedBatch[], nowMs: number): Promise<void> {
    const start = this.sizeBytes;
    if (this.tailPastSize) await this.cutTailPastSize();
    try {
      await writeFully(this.handle, buffer, start);
    } catch (error) {
      // A short write (ENOSPC) leaves the first batches, whole, past sizeBytes. Left there, the
      // recovery after a crash takes them into the log: records whose produce was refused, at
      // offsets the next append is given again.
      this.tailPastSize = true;
      await this.cutTailPastSize().catch(() => undefined);
      throw error;
    }
    this.rollStartMs ??= nowMs;
    for (const batch of batches) this.indexBatch(start + batch.position, batch);
    this.sizeBytes += buffer.length;
    // Index entries reach their files on flush, seal or close, not per append: reads use the
    // in-memory index, and recovery rebuilds the last segment's indexes from the log anyway.
  }

  /** Position of the first batch whose last offset is >= `offset` (sizeBytes if there is none). */
  async positionOf(offset: number): Promise<{ position: number; batch: PositionedBatch | undefined }> {
    const floor = this.offsetIndex.floor(offset - this.baseOffset);
    let found: PositionedBatch | undefined;
    const scan = await scanBatches(this.handle, this.scanOptions(floor?.value ?? 0, false, LOOKUP_CHUNK_BYTES), (batch) => {
      if (batch.header.lastOffset < offset) return true;
      found = batch;
      return false;
    });
    return { position: found?.position ?? scan.validEndPosition, batch: found };
  }

  /**
   * Whole batches from `position` up to `maxBytes` — but at least the first batch even if it is
   * larger, so a consumer always makes progress (Kafka's KIP-74 rule), unless `strictMaxBytes`.
   * Stops before the first batch whose base offset reaches `upToOffset`.
   */
  async rangeFrom(position: number, maxBytes: number, strictMaxBytes: boolean, upToOffset = Number.POSITIVE_INFINITY): Promise<FileRange | undefined> {
    let end = position;
    let firstOffset = -1;
    let lastOffset = -1;
    await scanBatches(this.handle, this.scanOptions(position, false, LOOKUP_CHUNK_BYTES), ({ header }) => {
      if (header.baseOffset >= upToOffset) return false;
      const fits = end + header.sizeBytes - position <= maxBytes;
      if (!fits && (strictMaxBytes || end > position)) return false;
      if (firstOffset < 0) firstOffset = header.baseOffset;
      lastOffset = header.lastOffset;
      end += header.sizeBytes;
      return fits;
    });
    if (end === position) return undefined;
    return { path: this.logPath, position, sizeBytes: end - position, firstOffset, lastOffset };
  }

  /** Visits every batch header in order, without checking CRCs (what is wanted, such as the
   * leader epoch, is in the header); stops quietly at a bad header. */
  async scanHeaders(visit: (batch: PositionedBatch) => void): Promise<void> {
    await scanBatches(this.handle, this.scanOptions(0, false, SCAN_CHUNK_BYTES), visit);
  }

  /** Removes every batch from the one containing `offset` on; returns the new next offset. */
  async truncateTo(offset: number): Promise<number> {
    const { position, batch } = await this.positionOf(offset);
    if (batch === undefined) return this.nextOffset;
    await this.handle.truncate(position);
    // Rebuilding from the kept prefix restores the exact max timestamp and index cadence.
    await this.rebuildFrom(position);
    await this.rewriteIndexFiles();
    return this.nextOffset;
  }

  /** Cuts the file at the end of its last valid batch (what open() reported past it), durably. */
  async cutInvalidTail(): Promise<void> {
    await this.handle.truncate(this.sizeBytes);
    await this.handle.datasync();
  }

  /** Records the segment's final max timestamp in the time index, so reopening finds it there
   * without a scan (Kafka does the same when a segment becomes inactive). */
  async seal(): Promise<void> {
    // Leftovers of a refused append must not outlive the roll: on open they would read as
    // batches past this segment's end, at offsets the next segment holds.
    if (this.tailPastSize) await this.cutTailPastSize();
    const last = this.timeIndex.last();
    if (this.maxTimestampMs >= 0 && (last === undefined || last.key < this.maxTimestampMs)) {
      this.timeIndex.add({ key: this.maxTimestampMs, value: this.nextOffset - 1 - this.baseOffset });
    }
    await this.flush();
  }

  /** fsyncs the log file only: enough to acknowledge, because recovery rebuilds the indexes of
   * the last segment from the log anyway. */
  async flushLog(): Promise<void> {
    await this.handle.datasync();
  }

  async flush(): Promise<void> {
    await this.writeNewIndexEntries();
    await this.handle.datasync();
    await fsyncPath(this.indexPath);
    await fsyncPath(this.timeIndexPath);
  }

  async lastModifiedMs(): Promise<number> {
    return (await this.handle.stat()).mtimeMs;
  }

  async close(): Promise<void> {
    try {
      if (this.tailPastSize) await this.cutTailPastSize();
      await this.writeNewIndexEntries();
    } finally {
      await this.handle.close();
    }
  }

  /** Closes and removes the files: the log first, so a crash midway leaves only orphan indexes,
   * which opening the log removes. */
  async delete(): Promise<void> {
    await this.handle.close();
    await rm(this.logPath, { force: true });
    await rm(this.indexPath, { force: true });
    await rm(this.timeIndexPath, { force: true });
  }

  /** Cuts the file back to sizeBytes (a truncate needs no free space). */
  private async cutTailPastSize(): Promise<void> {
    await this.handle.truncate(this.sizeBytes);
    this.tailPastSize = false;
  }

  private scanOptions(fromPosition: number, verifyCrc: boolean, chunkBytes: number) {
    return { fromPosition, endPosition: this.sizeBytes, verifyCrc, maxBatchBytes: this.config.maxBatchBytes, chunkBytes };
  }

  /** Adds index entries for one batch, one per indexIntervalBytes of log, and tracks offsets and times. */
  private indexBatch(position: number, { header }: PositionedBatch): void {
    this.maxTimestampMs = Math.max(this.maxTimestampMs, header.maxTimestamp);
    if (this.rollStartMs === undefined && header.maxTimestamp >= 0) this.rollStartMs = header.maxTimestamp;
    if (this.bytesSinceLastIndexEntry >= this.config.indexIntervalBytes) {
      const relativeOffset = header.baseOffset - this.baseOffset;
      this.offsetIndex.add({ key: relativeOffset, value: position });
      const lastTime = this.timeIndex.last();
      if (this.maxTimestampMs >= 0 && (lastTime === undefined || lastTime.key < this.maxTimestampMs)) {
        this.timeIndex.add({ key: this.maxTimestampMs, value: relativeOffset });
      }
      this.bytesSinceLastIndexEntry = 0;
    }
    this.bytesSinceLastIndexEntry += header.sizeBytes;
    this.nextOffset = header.lastOffset + 1;
  }

  /** Loads stored indexes and scans the tail after the last entry; false if anything is off. */
  private async loadIndexes(): Promise<boolean> {
    const offsetBytes = await readIfExists(this.indexPath);
    const timeBytes = await readIfExists(this.timeIndexPath);
    const offsetIndex = offsetBytes && SegmentIndex.decode(OFFSET_INDEX, offsetBytes);
    const timeIndex = timeBytes && SegmentIndex.decode(TIME_INDEX, timeBytes);
    if (!offsetIndex || !timeIndex) return false;
    if (!checkIndex(offsetIndex, MAX_RELATIVE_OFFSET, this.sizeBytes - 1) || !checkIndex(timeIndex, Number.MAX_SAFE_INTEGER, MAX_RELATIVE_OFFSET)) return false;
    const tailStart = offsetIndex.last()?.value ?? 0;
    this.offsetIndex = offsetIndex;
    this.timeIndex = timeIndex;
    this.writtenOffsetEntries = offsetIndex.entries.length;
    this.writtenTimeEntries = timeIndex.entries.length;
    this.maxTimestampMs = timeIndex.last()?.key ?? -1;
    const scan = await scanBatches(this.handle, this.scanOptions(tailStart, true, SCAN_CHUNK_BYTES), ({ header }) => {
      this.maxTimestampMs = Math.max(this.maxTimestampMs, header.maxTimestamp);
      this.nextOffset = header.lastOffset + 1;
      this.bytesSinceLastIndexEntry += header.sizeBytes;
    });
    // A tail that does not end exactly at the file's end means a torn write here: recover fully.
    if (scan.corruption !== undefined || scan.validEndPosition !== this.sizeBytes) return false;
    return true;
  }

  /** Verifies every batch from the start: the segment ends before the first bad one; rebuilds and
   * rewrites the indexes of that valid prefix. */
  private async recover(): Promise<void> {
    await this.rebuildFrom(this.sizeBytes);
    await this.rewriteIndexFiles();
  }

  /** Resets the in-memory state and re-indexes the valid prefix of [0, endPosition); returns its end. */
  private async rebuildFrom(endPosition: number): Promise<number> {
    this.offsetIndex = new SegmentIndex(OFFSET_INDEX);
    this.timeIndex = new SegmentIndex(TIME_INDEX);
    this.bytesSinceLastIndexEntry = 0;
    this.maxTimestampMs = -1;
    this.rollStartMs = undefined;
    this.nextOffset = this.baseOffset;
    this.sizeBytes = endPosition;
    const scan = await scanBatches(this.handle, this.scanOptions(0, true, SCAN_CHUNK_BYTES), (batch) => this.indexBatch(batch.position, batch));
    this.sizeBytes = scan.validEndPosition;
    return scan.validEndPosition;
  }

  /**
   * Replaces both index files by the in-memory indexes (only when their bytes differ). On a full
   * disk an index file is left empty instead — an empty index is a correct one, only slower, and
   * the entries go to the file with the next flush — so that recovery, and the broker's start,
   * do not depend on free space.
   */
  private async rewriteIndexFiles(): Promise<void> {
    this.writtenOffsetEntries = await rewriteIndexFile(this.indexPath, this.offsetIndex);
    this.writtenTimeEntries = await rewriteIndexFile(this.timeIndexPath, this.timeIndex);
  }

  /** Appends the entries not yet in the index files. Each file is first cut back to the entries
   * known written: an earlier append that failed midway (disk full) left a torn entry there. */
  private async writeNewIndexEntries(): Promise<void> {
    if (this.writtenOffsetEntries < this.offsetIndex.entries.length) {
      await truncate(this.indexPath, this.writtenOffsetEntries * OFFSET_INDEX.entryBytes);
      await appendFile(this.indexPath, this.offsetIndex.encode(this.writtenOffsetEntries));
      this.writtenOffsetEntries = this.offsetIndex.entries.length;
    }
    if (this.writtenTimeEntries < this.timeIndex.entries.length) {
      await truncate(this.timeIndexPath, this.writtenTimeEntries * TIME_INDEX.entryBytes);
      await appendFile(this.timeIndexPath, this.timeIndex.encode(this.writtenTimeEntries));
      this.writtenTimeEntries = this.timeIndex.entries.length;
    }
  }
}
