import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commitCleanedLog, writeCleanedLog } from '../storage/compaction/segment-swap.js';
import { PartitionLog } from '../storage/index.js';
import { encodeBatch, readAllRecords } from '../storage/test-batches.js';
import { cleanLog } from './clean-log.js';

const NOW_MS = 1_700_000_100_000;
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cleaner-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Written {
  offset: number;
  key: string;
  value: string | null;
}

/** Appends one record per batch, `key=value`, with timestamp `timestampMs`. */
async function produce(log: PartitionLog, records: readonly { key: string; value: string | null }[], timestampMs = NOW_MS): Promise<Written[]> {
  const written: Written[] = [];
  for (const record of records) {
    const { baseOffset } = await log.append(encodeBatch([{ key: Buffer.from(record.key), value: record.value === null ? null : Buffer.from(record.value) }], { baseTimestamp: timestampMs }), 0);
    written.push({ offset: baseOffset, ...record });
  }
  return written;
}

async function readAll(log: PartitionLog): Promise<Written[]> {
  return (await readAllRecords(log)).map((record) => ({ ...record, key: record.key! }));
}

/** What a cleaning must leave: the latest of each key among records below the active segment, everything in it. */
function expectedAfterCleaning(written: readonly Written[], activeBaseOffset: number, keepTombstones: boolean): Written[] {
  const latest = new Map<string, Written>();
  for (const record of written) if (record.offset < activeBaseOffset) latest.set(record.key, record);
  const cleaned = [...latest.values()].filter((record) => keepTombstones || record.value !== null);
  return [...cleaned, ...written.filter((record) => record.offset >= activeBaseOffset)].sort((a, b) => a.offset - b.offset);
}

describe('cleaning a partition log', () => {
  it('keeps the latest value of each key in closed segments, offsets preserved, active segment untouched', async () => {
    const log = await PartitionLog.open(dir, { segmentBytes: 400 });
    const written = await produce(
      log,
      Array.from({ length: 60 }, (_, i) => ({ key: `k${i % 7}`, value: `v${i}` })),
    );
    const activeBase = log.segmentBaseOffsets.at(-1)!;
    const before = log.sizeBytes;
    const result = await cleanLog(log, { deleteRetentionMs: 1000, nowMs: NOW_MS });
    expect(result.segmentsCleaned).toBeGreaterThan(0);
    expect(log.sizeBytes).toBeLessThan(before);
    expect(await readAll(log)).toEqual(expectedAfterCleaning(written, activeBase, true));
    // Cleaning again changes nothing; reopening reads the same.
    expect((await cleanLog(log, { deleteRetentionMs: 1000, nowMs: NOW_MS })).segmentsCleaned).toBe(0);
    await log.close();
    const reopened = await PartitionLog.open(dir, { segmentBytes: 400 });
    expect(await readAll(reopened)).toEqual(expectedAfterCleaning(written, activeBase, true));
    expect(reopened.logEndOffset).toBe(60);
    await reopened.close();
  });

  it('keeps tombstones for delete.retention.ms, then removes them', async () => {
    const log = await PartitionLog.open(dir, { segmentBytes: 300 });
    const written = [...(await produce(log, [{ key: 'a', value: '1' }, { key: 'b', value: '2' }, { key: 'a', value: null }])), ...(await produce(log, Array.from({ length: 8 }, (_, i) => ({ key: `x${i}`, value: 'x' }))))];
    const activeBase = log.segmentBaseOffsets.at(-1)!;
    await cleanLog(log, { deleteRetentionMs: 60_000, nowMs: NOW_MS });
    expect(await readAll(log)).toEqual(expectedAfterCleaning(written, activeBase, true));
    await cleanLog(log, { deleteRetentionMs: 60_000, nowMs: NOW_MS + 61_000 });
    const after = await readAll(log);
    expect(after).toEqual(expectedAfterCleaning(written, activeBase, false));
    expect(after.some((record) => record.key === 'a')).toBe(false);
    await log.close();
  });

  it('property: any history of keys, values and tombstones cleans to the latest value per key', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ key: fc.constantFrom('a', 'b', 'c', 'd'), value: fc.option(fc.string({ maxLength: 20 }), { nil: null }) }), { minLength: 1, maxLength: 40 }), async (records) => {
        const propertyDir = await mkdtemp(join(tmpdir(), 'cleaner-property-'));
        try {
          const log = await PartitionLog.open(propertyDir, { segmentBytes: 250 });
          const written = await produce(log, records);
          const activeBase = log.segmentBaseOffsets.at(-1)!;
          await cleanLog(log, { deleteRetentionMs: 0, nowMs: NOW_MS + 1 });
          expect(await readAll(log)).toEqual(expectedAfterCleaning(written, activeBase, false));
          await log.close();
        } finally {
          await rm(propertyDir, { recursive: true, force: true });
        }
      }),
      { numRuns: 25 },
    );
  });

  it('serves reads while cleaning (fetches in flight finish on the old file)', async () => {
    const log = await PartitionLog.open(dir, { segmentBytes: 400 });
    const written = await produce(log, Array.from({ length: 40 }, (_, i) => ({ key: `k${i % 3}`, value: `v${i}` })));
    const activeBase = log.segmentBaseOffsets.at(-1)!;
    const reads = Array.from({ length: 20 }, () => readAll(log));
    await cleanLog(log, { deleteRetentionMs: 1000, nowMs: NOW_MS });
    for (const read of await Promise.all(reads)) {
      // Each read saw, batch by batch, either the old or the cleaned segment: a subsequence of the history ending in the latest values.
      expect(read.every((record) => written.some((w) => w.offset === record.offset && w.value === record.value))).toBe(true);
    }
    expect(await readAll(log)).toEqual(expectedAfterCleaning(written, activeBase, true));
    await log.close();
  });
});

describe('a swap interrupted by a crash', () => {
  async function preparedLog(): Promise<{ log: PartitionLog; written: Written[]; activeBase: number }> {
    const log = await PartitionLog.open(dir, { segmentBytes: 400 });
    const written = await produce(log, Array.from({ length: 30 }, (_, i) => ({ key: `k${i % 4}`, value: `v${i}` })));
    return { log, written, activeBase: log.segmentBaseOffsets.at(-1)!};
  }

  it('before the commit point: the cleaned file is discarded, the old segment stays', async () => {
    const { log, written } = await preparedLog();
    const first = log.closedSegments()[0]!;
    await writeCleanedLog(dir, first.baseOffset, [Buffer.from('half-written garbage')]);
    await log.close(); // the crash: nothing after step 1 happened
    const reopened = await PartitionLog.open(dir, { segmentBytes: 400 });
    expect((await readdir(dir)).some((name) => name.endsWith('.cleaned'))).toBe(false);
    expect(await readAll(reopened)).toEqual(written);
    await reopened.close();
  });

  it('after the commit point: opening finishes the swap', async () => {
    const { log, written, activeBase } = await preparedLog();
    // Clean for real, but stop right after the commit (rename to .swap), as a kill -9 would.
    const segments = log.closedSegments();
    const originalReplace = log.replaceWithCleaned.bind(log);
    let committed = 0;
    log.replaceWithCleaned = async (segment) => {
      await commitCleanedLog(dir, segment.baseOffset);
      committed++;
      return false;
    };
    await cleanLog(log, { deleteRetentionMs: 1000, nowMs: NOW_MS });
    log.replaceWithCleaned = originalReplace;
    expect(committed).toBeGreaterThan(0);
    await log.close();
    expect((await readdir(dir)).some((name) => name.endsWith('.swap'))).toBe(true);
    const reopened = await PartitionLog.open(dir, { segmentBytes: 400 });
    expect((await readdir(dir)).some((name) => name.endsWith('.swap'))).toBe(false);
    expect(reopened.segmentBaseOffsets).toEqual([...segments.map((segment) => segment.baseOffset), activeBase]);
    expect(await readAll(reopened)).toEqual(expectedAfterCleaning(written, activeBase, true));
    await reopened.close();
  });
});
