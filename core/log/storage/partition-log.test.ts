import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CorruptRecordBatchError, OffsetNotMonotonicError, OffsetOutOfRangeError, RecordBatchTooLargeError } from './errors.js';
import { LEADER_EPOCH_CHECKPOINT_FILE } from './leader-epoch-cache.js';
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

/** Every record readable from `fetchOffset` below `upToOffset`, as offsets. */
async function offsetsUpTo(log: PartitionLog, fetchOffset: number, upToOffset: number, maxBytes = Number.MAX_SAFE_INTEGER): Promise<number[]> {
  const bytes = Buffer.concat(await log.readBuffers(fetchOffset, maxBytes, upToOffset));
  return [...iterateBatches(bytes)].flatMap(({ header }) => Array.from({ length: header.lastOffset - header.baseOffset + 1 }, (_, i) => header.baseOffset + i));
}

const epochPairs = (log: PartitionLog) => log.leaderEpochCache.entries().map(({ epoch, startOffset }) => [epoch, startOffset]);

describe('partition log: leader epochs', () => {
  it('records where each leader epoch starts and answers OffsetForLeaderEpoch from it', async () => {
    const log = await PartitionLog.open(dir, SMALL);
    await fill(log, 3, 0); // batches of 1, 2, 3 records: offsets 0..5
    await fill(log, 2, 2); // 6..8
    await fill(log, 30, 5); // 9..
    expect(epochPairs(log)).toEqual([[0, 0], [2, 6], [5, 9]]);
    expect(log.latestEpoch).toBe(5);
    expect(log.endOffsetForEpoch(0)).toEqual({ epoch: 0, endOffset: 6 });
    expect(log.endOffsetForEpoch(1)).toEqual({ epoch: 0, endOffset: 6 });
    expect(log.endOffsetForEpoch(2)).toEqual({ epoch: 2, endOffset: 9 });
    expect(log.endOffsetForEpoch(5)).toEqual({ epoch: 5, endOffset: log.logEndOffset });
    expect(log.endOffsetForEpoch(6)).toEqual({ epoch: -1, endOffset: -1 });
    await log.close();
    const reopened = await PartitionLog.open(dir, SMALL);
    expect(epochPairs(reopened)).toEqual([[0, 0], [2, 6], [5, 9]]);
    await reopened.close();
  });

  it('takes a follower\'s epochs from the batches the leader sent, skipping batches without one', async () => {
    const log = await PartitionLog.open(dir, SMALL);
    await log.appendAsFollower(Buffer.concat([
      batchOf(['v0'], { baseOffset: 0 }),
      batchOf(['v1', 'v2'], { baseOffset: 1, partitionLeaderEpoch: 3 }),
      batchOf(['v3'], { baseOffset: 3, partitionLeaderEpoch: 3 }),
      batchOf(['v4'], { baseOffset: 4, partitionLeaderEpoch: 7 }),
    ]));
    expect(epochPairs(log)).toEqual([[3, 1], [7, 4]]);
    await log.close();
  });

  it('rebuilds a missing or malformed checkpoint from the batch headers', async () => {
    let log = await PartitionLog.open(dir, SMALL);
    await fill(log, 20, 1);
    await fill(log, 20, 4);
    const expected = epochPairs(log);
    expect(log.segmentBaseOffsets.length).toBeGreaterThan(2);
    await log.close();
    for (const damage of [() => rm(join(dir, LEADER_EPOCH_CHECKPOINT_FILE)), () => writeFile(join(dir, LEADER_EPOCH_CHECKPOINT_FILE), '0\n7\n')]) {
      await damage();
      log = await PartitionLog.open(dir, SMALL);
      expect(epochPairs(log)).toEqual(expected);
      expect(await readFile(join(dir, LEADER_EPOCH_CHECKPOINT_FILE), 'utf8')).toBe(`0\n2\n${expected.map((pair) => pair.join(' ')).join('\n')}\n`);
      await log.close();
    }
  });

  it('drops checkpointed epochs whose batches a crash lost', async () => {
    const log = await PartitionLog.open(dir, SMALL);
    await fill(log, 2, 1);
    await log.append(batchOf(['lost']), 2);
    await log.close();
    // The checkpoint was durable before the batch; power loss took the unflushed batch.
    const logPath = join(dir, '00000000000000000000.log');
    await truncate(logPath, (await stat(logPath)).size - batchOf(['lost']).length);
    const reopened = await PartitionLog.open(dir, SMALL);
    expect(reopened.logEndOffset).toBe(3);
    expect(epochPairs(reopened)).toEqual([[1, 0]]);
    expect(reopened.latestEpoch).toBe(1);
    await reopened.close();
  });

  it('cuts epoch entries back to the new log end on truncateTo', async () => {
    const log = await PartitionLog.open(dir, SMALL);
    await fill(log, 4, 1); // batches 0, 1..2, 3..5, 6..9
    await fill(log, 4, 2); // batches 10, 11..12, 13..15, 16..19
    await fill(log, 4, 3); // batches 20, 21..22, 23..25, 26..29
    await log.truncateTo(12); // the whole batch 11..12 goes
    expect(log.logEndOffset).toBe(11);
    expect(epochPairs(log)).toEqual([[1, 0], [2, 10]]);
    await log.truncateTo(10);
    expect(epochPairs(log)).toEqual([[1, 0]]);
    await log.append(batchOf(['x']), 4);
    expect(epochPairs(log)).toEqual([[1, 0], [4, 10]]);
    await log.close();
    const reopened = await PartitionLog.open(dir, SMALL);
    expect(epochPairs(reopened)).toEqual([[1, 0], [4, 10]]);
    await reopened.close();
  });

  it('moves the first epoch\'s start up to the new log start when retention deletes segments', async () => {
    const log = await PartitionLog.open(dir, { ...SMALL, retentionBytes: 3000, retentionMs: -1 });
    await fill(log, 80, 1);
    await fill(log, 20, 2);
    const epoch2Start = epochPairs(log)[1]![1]!;
    expect(await log.applyRetention()).toBeGreaterThan(0);
    expect(log.logStartOffset).toBeGreaterThan(0);
    expect(log.logStartOffset).toBeLessThan(epoch2Start); // the kept log still begins in epoch 1
    expect(epochPairs(log)).toEqual([[1, log.logStartOffset], [2, epoch2Start]]);
    await log.close();
  });
});

describe('partition log: reads up to an offset (the high watermark)', () => {
  it('returns only whole batches starting below upToOffset, across segments', async () => {
    const log = await PartitionLog.open(dir, SMALL);
    await fill(log, 120);
    const boundaries = [0];
    for (let i = 0; boundaries.at(-1)! < log.logEndOffset; i++) boundaries.push(boundaries.at(-1)! + 1 + (i % 4));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: log.logEndOffset }), fc.constantFrom(...boundaries), async (fetchOffset, upToOffset) => {
        const first = readFirstBatchBase(fetchOffset);
        const expected = fetchOffset >= upToOffset ? [] : Array.from({ length: upToOffset - first }, (_, i) => first + i);
        expect(await offsetsUpTo(log, fetchOffset, upToOffset)).toEqual(expected);
      }),
      { numRuns: 150 },
    );
    await log.close();
  });

  it('still honours maxBytes, gives at least one batch, and ignores a limit past the log end', async () => {
    const log = await PartitionLog.open(dir, SMALL);
    await fill(log, 60);
    expect(await offsetsUpTo(log, 0, 10, 1)).toEqual([0]);
    expect((await log.read(3, 200, 50)).sizeBytes).toBeLessThanOrEqual(200);
    expect(await offsetsUpTo(log, 100, log.logEndOffset + 50)).toEqual(await offsetsUpTo(log, 100, log.logEndOffset));
    expect((await log.read(10, 1000, 10)).ranges).toEqual([]);
    await expect(log.read(log.logEndOffset + 1, 100, 10)).rejects.toBeInstanceOf(OffsetOutOfRangeError);
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
