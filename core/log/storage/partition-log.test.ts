import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CorruptRecordBatchError, OffsetNotMonotonicError, OffsetOutOfRangeError, RecordBatchTooLargeError } from './errors.js';
import { PartitionLog, type PartitionLogOptions } from './partition-log.js';
import { iterateBatches, validateBatch } from './record-batch.js';
import { batchOf, decodeValues } from './test-batches.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'partition-log-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const SMALL: PartitionLogOptions = { segmentBytes: 1024, indexIntervalBytes: 128 };

/** Appends `count` batches of 1..4 records whose values name their offset ("v<offset>"). */
async function fill(log: PartitionLog, count: number, leaderEpoch = 0): Promise<void> {
  for (let i = 0; i < count; i++) {
    const size = 1 + (i % 4);
    const first = log.logEndOffset;
    const result = await log.append(batchOf(Array.from({ length: size }, (_, j) => `v${first + j}`)), leaderEpoch);
    expect(result).toEqual({ baseOffset: first, lastOffset: first + size - 1, logAppendTime: -1 });
  }
}

/** Every record read from `fetchOffset` on, as [offset, value] pairs. */
async function readAll(log: PartitionLog, fetchOffset: number): Promise<[number, string | null][]> {
  const records: [number, string | null][] = [];
  const buffers = await log.readBuffers(fetchOffset, Number.MAX_SAFE_INTEGER);
  for (const { position, header } of iterateBatches(Buffer.concat(buffers))) {
    decodeValues(Buffer.concat(buffers), position).forEach((value, i) => records.push([header.baseOffset + i, value]));
  }
  return records;
}

function expectIntact(records: [number, string | null][], from: number, to: number): void {
  expect(records.map(([offset]) => offset)).toEqual(Array.from({ length: to - from }, (_, i) => from + i));
  for (const [offset, value] of records) expect(value).toBe(`v${offset}`);
}

describe('partition log', () => {
  it('reads back what was appended, across many segments and a reopen', async () => {
    let log = await PartitionLog.open(dir, SMALL);
    await fill(log, 120);
    expect(log.segmentBaseOffsets.length).toBeGreaterThan(10);
    expectIntact(await readAll(log, 0), 0, log.logEndOffset);
    const end = log.logEndOffset;
    await log.close();
    log = await PartitionLog.open(dir, SMALL);
    expect(log.logEndOffset).toBe(end);
    expectIntact(await readAll(log, 0), 0, end);
    await fill(log, 5);
    expectIntact(await readAll(log, end - 3), readFirstBatchBase(end - 3), log.logEndOffset);
    await log.close();
  });

  it('finds the batch containing any offset through the sparse index', async () => {
    const log = await PartitionLog.open(dir, SMALL);
    await fill(log, 150);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: log.logEndOffset - 1 }), async (offset) => {
        const [first] = await log.readBuffers(offset, 1);
        const header = validateBatch(first!, 0);
        expect(header.baseOffset).toBeLessThanOrEqual(offset);
        expect(header.lastOffset).toBeGreaterThanOrEqual(offset);
      }),
      { numRuns: 200 },
    );
    await log.close();
  });

  it('returns whole batches within maxBytes, but always at least one', async () => {
    const log = await PartitionLog.open(dir, SMALL);
    await fill(log, 60);
    const oneBatch = await log.read(0, 1);
    expect(oneBatch.ranges).toHaveLength(1);
    expect(oneBatch.sizeBytes).toBe(validateBatch(batchOf(['v0']), 0).sizeBytes);
    const some = await log.read(3, 3000);
    expect(some.sizeBytes).toBeLessThanOrEqual(3000);
    expect(some.ranges.length).toBeGreaterThan(1); // crosses segment boundaries
    for (const range of some.ranges) expect(range.path).toMatch(/\d{20}\.log$/);
    expect((await log.read(log.logEndOffset, 100)).ranges).toEqual([]);
    await expect(log.read(log.logEndOffset + 1, 100)).rejects.toBeInstanceOf(OffsetOutOfRangeError);
    await log.close();
  });

  it('rolls by size and by time', async () => {
    let now = 1_000;
    const log = await PartitionLog.open(dir, { ...SMALL, segmentMs: 500, now: () => now });
    await fill(log, 40);
    const files = await readdir(dir);
    expect(files).toContain('00000000000000000000.log');
    expect(files).toContain('00000000000000000000.index');
    expect(files).toContain('00000000000000000000.timeindex');
    const before = log.segmentBaseOffsets.length;
    expect(log.sizeBytes / before).toBeLessThanOrEqual(1024);
    now += 499;
    await fill(log, 1);
    expect(log.segmentBaseOffsets.length).toBe(before);
    now += 501;
    await fill(log, 1);
    expect(log.segmentBaseOffsets.length).toBe(before + 1);
    await log.close();
  });

  it('deletes whole old segments by size, advancing logStartOffset', async () => {
    const log = await PartitionLog.open(dir, { ...SMALL, retentionBytes: 3000, retentionMs: -1 });
    await fill(log, 100);
    const deleted = await log.applyRetention();
    expect(deleted).toBeGreaterThan(0);
    // Kafka's rule: delete a segment only if the log stays at or above the limit without it.
    expect(log.sizeBytes).toBeGreaterThanOrEqual(3000);
    expect(log.sizeBytes).toBeLessThan(3000 + 1024);
    expect(log.logStartOffset).toBe(log.segmentBaseOffsets[0]);
    expect(log.logStartOffset).toBeGreaterThan(0);
    expectIntact(await readAll(log, log.logStartOffset), log.logStartOffset, log.logEndOffset);
    await expect(log.read(log.logStartOffset - 1, 100)).rejects.toBeInstanceOf(OffsetOutOfRangeError);
    await log.close();
  });

  it('deletes segments whose newest timestamp is past retentionMs, never the active one', async () => {
    let now = 1_700_000_000_000;
    const log = await PartitionLog.open(dir, { ...SMALL, retentionMs: 60_000, now: () => now });
    await fill(log, 50);
    expect(await log.applyRetention()).toBe(0);
    now += 10 * 60_000;
    const segments = log.segmentBaseOffsets.length;
    expect(await log.applyRetention()).toBe(segments - 1);
    expect(log.logStartOffset).toBe(log.segmentBaseOffsets[0]);
    await log.close();
  });

  it('truncates to a batch boundary for followers and keeps appending from there', async () => {
    const log = await PartitionLog.open(dir, SMALL);
    await fill(log, 80);
    const [batch] = await log.readBuffers(100, 1);
    const header = validateBatch(batch!, 0);
    // Inside a multi-record batch the whole batch goes; after a one-record batch it stays.
    await log.truncateTo(header.baseOffset + 1);
    expect(log.logEndOffset).toBe(header.lastOffset > header.baseOffset ? header.baseOffset : header.baseOffset + 1);
    await fill(log, 10);
    expectIntact(await readAll(log, 0), 0, log.logEndOffset);
    await log.truncateTo(5);
    expect(log.logEndOffset).toBeLessThanOrEqual(5);
    expect(log.segmentBaseOffsets).toEqual([0]);
    await log.truncateTo(0);
    expect(log.logEndOffset).toBe(0);
    await fill(log, 3);
    expectIntact(await readAll(log, 0), 0, log.logEndOffset);
    await log.close();
  });

  it('rejects a bad batch without changing the log', async () => {
    const log = await PartitionLog.open(dir, { ...SMALL, maxBatchBytes: 200 });
    await fill(log, 2);
    const end = log.logEndOffset;
    const corrupt = Buffer.concat([batchOf(['ok']), batchOf(['bad'])]);
    corrupt[corrupt.length - 1]! ^= 1;
    await expect(log.append(corrupt, 0)).rejects.toBeInstanceOf(CorruptRecordBatchError);
    await expect(log.append(batchOf(['x'.repeat(300)]), 0)).rejects.toBeInstanceOf(RecordBatchTooLargeError);
    await expect(log.append(Buffer.alloc(0), 0)).rejects.toBeInstanceOf(CorruptRecordBatchError);
    expect(log.logEndOffset).toBe(end);
    await fill(log, 1);
    expectIntact(await readAll(log, 0), 0, log.logEndOffset);
    await log.close();
  });

  it('stamps LogAppendTime when the topic asks for it', async () => {
    const log = await PartitionLog.open(dir, { timestampType: 'LogAppendTime', now: () => 42_000 });
    expect(await log.append(batchOf(['a']), 3)).toEqual({ baseOffset: 0, lastOffset: 0, logAppendTime: 42_000 });
    const [stored] = await log.readBuffers(0, 1000);
    expect(validateBatch(stored!, 0)).toMatchObject({ maxTimestamp: 42_000, partitionLeaderEpoch: 3 });
    await log.close();
  });

  it('appends as a follower keeping the leader offsets, and refuses going backwards', async () => {
    const log = await PartitionLog.open(dir, SMALL);
    await log.appendAsFollower(Buffer.concat([batchOf(['v0', 'v1'], { baseOffset: 0, partitionLeaderEpoch: 4 }), batchOf(['v2'], { baseOffset: 2 })]));
    expect(log.logEndOffset).toBe(3);
    await expect(log.appendAsFollower(batchOf(['x'], { baseOffset: 1 }))).rejects.toBeInstanceOf(OffsetNotMonotonicError);
    expectIntact(await readAll(log, 0), 0, 3);
    await log.close();
  });
});

/** fill() appends batches of 1, 2, 3, 4, 1, 2, ... records: the base offset of the batch holding `offset`. */
function readFirstBatchBase(offset: number): number {
  let base = 0;
  for (let i = 0; ; i++) {
    const size = 1 + (i % 4);
    if (offset < base + size) return base;
    base += size;
  }
}
