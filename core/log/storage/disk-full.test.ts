/**
 * A partition log on a disk that fills up (a small tmpfs, test/faults/harness/small-disk.ts).
 * tmpfs hands out whole pages, so a write into a page already allocated succeeds and one that
 * needs a new page stops short at the page boundary and fails with ENOSPC: a torn write, as on
 * any file system. Every failed append must be a LogDiskError (KAFKA_STORAGE_ERROR) that kept
 * nothing; once space is freed the same log appends again; and a log opened over the files as
 * they are (what a crash leaves) holds exactly the acknowledged records, with sound index files.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32 } from '../../random/mulberry32.js';
import { PAGE_BYTES, seededLeaveFreeBytes, SmallDisk } from '../../../test/faults/harness/small-disk.js';
import { faultSeed } from '../../../test/faults/harness/scenario.js';
import { KAFKA_ERROR, LogDiskError } from './errors.js';
import { PartitionLog, type PartitionLogOptions } from './partition-log.js';
import { batchOf, readAllRecords } from './test-batches.js';
import { unsoundIndexFiles } from './test-index-files.js';

// The default seed is one whose refused appends tear after a whole batch (about 40% do).
const SEED = faultSeed(13);
/** Each segment takes three files of at least a page each: room for a few dozen. */
const DISK_BYTES = 1024 * 1024;
const REFUSALS_IN_A_ROW = 8;
const APPENDS_WHILE_FULL_MAX = 5_000;
const BASE_TIMESTAMP_MS = 1_700_000_000_000;

interface Run {
  readonly dir: string;
  readonly log: PartitionLog;
  readonly disk: SmallDisk;
  /** Acknowledged values by offset. */
  readonly acked: Map<number, string>;
  readonly refusals: unknown[];
  /** Appends `batches` (each a list of values) as one request; true if acknowledged. */
  append(batches: string[][]): Promise<boolean>;
}

describe('partition log on a full disk', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  async function openOnSmallDisk(options: PartitionLogOptions): Promise<Run> {
    const root = await mkdtemp(join(tmpdir(), 'barista-log-disk-full-'));
    cleanup.push(() => rm(root, { recursive: true, force: true }));
    const disk = await SmallDisk.mount(join(root, 'disk'), DISK_BYTES);
    cleanup.push(() => disk.unmount());
    const dir = join(disk.dir, 'topic-0');
    const log = await PartitionLog.open(dir, options);
    cleanup.push(() => log.close().catch(() => undefined));
    const acked = new Map<number, string>();
    const refusals: unknown[] = [];
    let timestampMs = BASE_TIMESTAMP_MS;
    const append = async (batches: string[][]) => {
      try {
        // Growing timestamps: every batch adds a time index entry too.
        const { baseOffset } = await log.append(Buffer.concat(batches.map((values) => batchOf(values, { baseTimestamp: timestampMs++ }))), 0);
        batches.flat().forEach((value, i) => acked.set(baseOffset + i, value));
        return true;
      } catch (error) {
        refusals.push(error);
        return false;
      }
    };
    return { dir, log, disk, acked, refusals, append };
  }

  /** Appends until REFUSALS_IN_A_ROW in a row were refused; every refusal is a full disk. */
  async function appendWhileFull(run: Run, next: () => string[][]): Promise<void> {
    let inARow = 0;
    for (let i = 0; i < APPENDS_WHILE_FULL_MAX && inARow < REFUSALS_IN_A_ROW; i++) inARow = (await run.append(next())) ? 0 : inARow + 1;
    expect(inARow).toBe(REFUSALS_IN_A_ROW);
    for (const refusal of run.refusals) {
      expect(refusal).toBeInstanceOf(LogDiskError);
      expect(refusal).toMatchObject({ diskFull: true, kafkaErrorCode: KAFKA_ERROR.KAFKA_STORAGE_ERROR });
    }
  }

  /** What a crash now would leave, opened again (a copy: recovery must not touch the live files). */
  async function recordsAfterCrash(run: Run): Promise<Array<{ offset: number; key: string | null; value: string | null }>> {
    const copy = await mkdtemp(join(tmpdir(), 'barista-log-disk-full-crash-'));
    cleanup.push(() => rm(copy, { recursive: true, force: true }));
    await cp(run.dir, copy, { recursive: true });
    const reopened = await PartitionLog.open(copy);
    try {
      return await readAllRecords(reopened);
    } finally {
      await reopened.close();
    }
  }

  const expected = (acked: Map<number, string>) => [...acked].map(([offset, value]) => ({ offset, key: null, value }));

  it(`keeps nothing of a refused append of several batches, and appends again once space is freed (FAULT_SEED=${SEED})`, async () => {
    // Segments of several pages: appends cross page boundaries inside a segment, where a full
    // disk tears them after their first batches.
    const run = await openOnSmallDisk({ segmentBytes: 16 * 1024, indexIntervalBytes: 0, flushEveryMessages: 1 });
    const random = mulberry32(SEED);
    let attempt = 0;
    // 1..3 batches of 1..3 records of up to 350 bytes.
    const next = () => {
      attempt++;
      return Array.from({ length: 1 + Math.floor(random() * 3) }, (_, b) => Array.from({ length: 1 + Math.floor(random() * 3) }, (_, r) => `a${attempt}-b${b}-r${r}:`.padEnd(Math.floor(random() * 350), 'x')));
    };
    for (let i = 0; i < 40; i++) expect(await run.append(next())).toBe(true);
    await run.disk.fill(seededLeaveFreeBytes(SEED, 4));
    // While full: a small batch, then a large one — a refused append is torn in its large batch,
    // after a whole small one.
    await appendWhileFull(run, () => {
      attempt++;
      return [[`a${attempt}-small:`.padEnd(Math.floor(random() * 50), 'x')], [`a${attempt}-large:`.padEnd(1_500 + Math.floor(random() * 1_500), 'x')]];
    });
    expect(await readAllRecords(run.log)).toEqual(expected(run.acked));
    // A refused append that tore past the end must leave no whole batch there for recovery to find.
    expect(await recordsAfterCrash(run)).toEqual(expected(run.acked));

    await run.disk.free();
    const refusedWhileFull = run.refusals.length;
    for (let i = 0; i < 40; i++) await run.append(next());
    expect(run.refusals.slice(refusedWhileFull)).toEqual([]);
    expect(await recordsAfterCrash(run)).toEqual(expected(run.acked));
    expect(await unsoundIndexFiles(run.dir)).toEqual([]);
    console.log(`log on a full disk, torn appends (FAULT_SEED=${SEED}, ${seededLeaveFreeBytes(SEED, 4) / PAGE_BYTES} pages left): ${run.acked.size} records acknowledged, ${refusedWhileFull} appends refused, ${run.log.segmentBaseOffsets.length} segments`);
  }, 30_000);

  it(`keeps its index files sound when sealing a segment meets a full disk (FAULT_SEED=${SEED})`, async () => {
    // Index entries reach their files only when a segment is sealed. With an entry per batch and
    // a few thousand batches per segment, the seal writes several pages of index: on a disk with
    // fewer pages free it stops short.
    const segmentBytes = 256 * 1024 - 100;
    const run = await openOnSmallDisk({ segmentBytes, indexIntervalBytes: 0, flushEveryMessages: 1 });
    let attempt = 0;
    const next = () => [[`r${attempt++}`]];
    const activeSegmentBytes = () => run.log.sizeBytes - run.log.closedSegments().reduce((sum, segment) => sum + segment.sizeBytes, 0);
    // Fill the disk just before the active segment is full: the next appends roll, and seal.
    while (activeSegmentBytes() < segmentBytes - 2 * PAGE_BYTES) expect(await run.append(next())).toBe(true);
    // The last appends before the roll take up to two of the pages left; the seal gets the rest,
    // one to three pages, too few for its index entries.
    await run.disk.fill(PAGE_BYTES * (3 + (SEED % 3)));
    await appendWhileFull(run, next);
    expect(await recordsAfterCrash(run)).toEqual(expected(run.acked));

    await run.disk.free();
    const refusedWhileFull = run.refusals.length;
    for (let i = 0; i < 100; i++) await run.append(next());
    expect(run.refusals.slice(refusedWhileFull)).toEqual([]);
    expect(run.log.segmentBaseOffsets.length).toBeGreaterThan(1);
    expect(await unsoundIndexFiles(run.dir)).toEqual([]);
    expect(await recordsAfterCrash(run)).toEqual(expected(run.acked));
    console.log(`log on a full disk, torn index (FAULT_SEED=${SEED}): ${run.acked.size} records acknowledged, ${refusedWhileFull} appends refused`);
  }, 30_000);
});

describe('partition log reopened on a full disk', () => {
  it('recovers without writing its indexes, serves reads, refuses appends, and appends once space is freed', async () => {
    const root = await mkdtemp(join(tmpdir(), 'barista-log-disk-full-reopen-'));
    const disk = await SmallDisk.mount(join(root, 'disk'), 256 * 1024);
    let abandoned: PartitionLog | undefined;
    try {
      const dir = join(disk.dir, 'topic-0');
      const options = { segmentBytes: 16 * 1024, indexIntervalBytes: 0, flushEveryMessages: 1 };
      abandoned = await PartitionLog.open(dir, options);
      const values = Array.from({ length: 100 }, (_, i) => `record-${i}`.padEnd(200, 'x'));
      for (const value of values) await abandoned.append(batchOf([value]), 0);
      // A crash (no close): the active segment's index entries never reached their files, so
      // recovery rebuilds them — and finds no room to write them.
      await disk.fill();
      const log = await PartitionLog.open(dir, options);
      try {
        expect((await readAllRecords(log)).map((record) => record.value)).toEqual(values);
        await expect(log.append(batchOf(['refused']), 0)).rejects.toBeInstanceOf(LogDiskError);
        await disk.free();
        expect((await log.append(batchOf(['after']), 0)).baseOffset).toBe(values.length);
        await log.flush();
        expect(await unsoundIndexFiles(dir)).toEqual([]);
      } finally {
        await log.close();
      }
    } finally {
      // Only now: the abandoned instance's handles would otherwise be closed by the garbage collector.
      await abandoned?.close().catch(() => undefined);
      await disk.unmount();
      await rm(root, { recursive: true, force: true });
    }
  });
});
