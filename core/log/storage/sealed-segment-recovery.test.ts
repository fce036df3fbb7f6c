/**
 * Opening a log whose older (sealed) segment has bytes past its last valid batch. A sealed
 * segment was fsynced when it was rolled, so a crash cannot tear it: whatever is there is
 * corruption or leftovers, and it must never cost the later segments their records.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { appendFile, mkdtemp, readdir, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { LogSegmentCorruptError } from './errors.js';
import { PartitionLog, type PartitionLogOptions } from './partition-log.js';
import { segmentFileName } from './segment.js';
import { batchOf, readAllRecords } from './test-batches.js';

const SMALL: PartitionLogOptions = { segmentBytes: 2048, indexIntervalBytes: 100 };
const RECORDS = 120;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sealed-segment-recovery-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const valueOf = (offset: number) => `value-${String(offset).padStart(4, '0')}`;
const logPathOf = (baseOffset: number) => join(dir, segmentFileName(baseOffset, '.log'));

/** Writes RECORDS one-record batches through the real log; returns the segments' base offsets. */
async function writeLog(): Promise<number[]> {
  const log = await PartitionLog.open(dir, SMALL);
  for (let offset = 0; offset < RECORDS; offset++) await log.append(batchOf([valueOf(offset)]), 1);
  const bases = log.segmentBaseOffsets;
  await log.close();
  expect(bases.length).toBeGreaterThanOrEqual(4);
  return bases;
}

/** Error-level lines the log writes while it opens. */
async function openCapturingErrors(options: PartitionLogOptions = SMALL): Promise<{ log: PartitionLog; errors: Record<string, unknown>[] }> {
  const errors: Record<string, unknown>[] = [];
  const logger = pino({ level: 'error' }, { write: (line: string) => void errors.push(JSON.parse(line) as Record<string, unknown>) });
  return { log: await PartitionLog.open(dir, { ...options, logger }), errors };
}

async function expectEveryRecord(log: PartitionLog): Promise<void> {
  expect(log.logEndOffset).toBe(RECORDS);
  const records = await readAllRecords(log);
  expect(records.map(({ offset, value }) => [offset, value])).toEqual(Array.from({ length: RECORDS }, (_, offset) => [offset, valueOf(offset)]));
}

async function fileSizes(): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  for (const name of (await readdir(dir)).filter((entry) => entry.endsWith('.log')).sort()) sizes.set(name, (await stat(join(dir, name))).size);
  return sizes;
}

describe('recovery of a sealed segment', () => {
  it('cuts a partial batch past the end of an older segment and keeps every later segment', async () => {
    const bases = await writeLog();
    const torn = logPathOf(bases[1]!);
    const sizeBytes = (await stat(torn)).size;
    const partial = batchOf(['never-acknowledged']).subarray(0, 30);
    await appendFile(torn, partial);

    const { log, errors } = await openCapturingErrors();
    try {
      expect(log.segmentBaseOffsets).toEqual(bases);
      await expectEveryRecord(log);
      expect((await stat(torn)).size).toBe(sizeBytes);
      expect(errors).toEqual([expect.objectContaining({ path: torn, validBytes: sizeBytes, cutBytes: partial.length })]);
      await log.append(batchOf(['after']), 2);
      expect(log.logEndOffset).toBe(RECORDS + 1);
    } finally {
      await log.close();
    }
  });

  it('cuts whole batches left past an older segment\'s end that overlap the next segment', async () => {
    const bases = await writeLog();
    const nextBase = bases[2]!;
    const leftover = logPathOf(bases[1]!);
    const sizeBytes = (await stat(leftover)).size;
    // What a refused append whose cut failed leaves behind: a valid batch at offsets the log gave away again.
    await appendFile(leftover, batchOf(['refused-append'], { baseOffset: nextBase }));

    const { log, errors } = await openCapturingErrors();
    try {
      expect(log.segmentBaseOffsets).toEqual(bases);
      await expectEveryRecord(log);
      expect((await stat(leftover)).size).toBe(sizeBytes);
      expect(errors).toEqual([expect.objectContaining({ path: leftover, validBytes: sizeBytes })]);
    } finally {
      await log.close();
    }
  });

  it('refuses to open, changing no log file, when a torn older segment would leave a gap before later records', async () => {
    const bases = await writeLog();
    const torn = logPathOf(bases[1]!);
    await truncate(torn, (await stat(torn)).size - 5);
    const before = await fileSizes();

    const opening = PartitionLog.open(dir, SMALL);
    await expect(opening).rejects.toBeInstanceOf(LogSegmentCorruptError);
    await expect(opening).rejects.toMatchObject({ code: 'SEGMENT_CORRUPT', path: torn, missingFromOffset: bases[2]! - 1, nextSegmentBaseOffset: bases[2]! });
    await expect(opening).rejects.toThrow(`delete ${dir} and let this broker fetch it again`);
    expect(await fileSizes()).toEqual(before);
  });

  it('cuts a torn older segment when every later segment is empty, as the tail of the log it is', async () => {
    const bases = await writeLog();
    const lastBase = bases.at(-1)!;
    await writeFile(logPathOf(lastBase), Buffer.alloc(0)); // killed right after rolling
    const torn = logPathOf(bases.at(-2)!);
    await truncate(torn, (await stat(torn)).size - 5);

    const { log, errors } = await openCapturingErrors();
    try {
      expect(log.logEndOffset).toBe(lastBase - 1); // the torn batch and the emptied segment's records are gone
      expect(log.segmentBaseOffsets).toEqual(bases.slice(0, -1));
      expect(errors).toHaveLength(1);
      await log.append(batchOf(['after']), 2);
      const records = await readAllRecords(log);
      expect(records.at(-1)).toEqual(expect.objectContaining({ offset: lastBase - 1, value: 'after' }));
    } finally {
      await log.close();
    }
  });
});
