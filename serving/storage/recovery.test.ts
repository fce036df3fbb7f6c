/**
 * Torn tails: a crash leaves the active file without a hint and possibly cut mid-record or with
 * garbage at the end. Opening must keep every record before the damage and return nothing from
 * the damage on as valid — for every cut position and every damaged byte.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { open, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { BitcaskStore } from './bitcask-store.js';
import { dataFileName } from './data-file.js';
import { RECORD_HEADER_BYTES } from './record.js';
import { bytes, contentsOf, crashSnapshot, removeDirectory, scratchDirectory } from './test-support.js';

const RECORDS = 40;
const keyOf = (i: number) => `key-${String(i).padStart(2, '0')}`;
const valueOf = (i: number) => `value-${i}-`.padEnd(5 + ((i * 7) % 23), '#');
/** End position of each record in the single data file. */
const ends: number[] = [];
for (let i = 0, end = 0; i < RECORDS; i++) ends.push((end += RECORD_HEADER_BYTES + keyOf(i).length + valueOf(i).length));

let root: string;
let pristine: string;
let work: string;
let dataPath: string;

beforeAll(async () => {
  root = await scratchDirectory('recovery');
  pristine = join(root, 'pristine');
  work = join(root, 'work');
  dataPath = join(work, dataFileName(1));
  const store = await BitcaskStore.open(join(root, 'writer'), { fsync: 'never' });
  for (let i = 0; i < RECORDS; i++) await store.put(bytes(keyOf(i)), bytes(valueOf(i)));
  await crashSnapshot(join(root, 'writer'), pristine);
  await store.close();
});
afterAll(async () => {
  await removeDirectory(root);
});

/** Opens the damaged copy and checks that exactly the records ending at or before `validEnd` are
 * there, and that the cut was reported if the file was longer. */
async function expectPrefixKept(validEnd: number): Promise<void> {
  const damagedSizeBytes = (await stat(dataPath)).size;
  const store = await BitcaskStore.open(work);
  try {
    expect(store.recovery.truncatedFiles.length).toBe(damagedSizeBytes > validEnd ? 1 : 0);
    const kept = ends.filter((end) => end <= validEnd).length;
    const expected = new Map(Array.from({ length: kept }, (_, i) => [keyOf(i), valueOf(i)]));
    expect(await contentsOf(store)).toEqual(expected);
    expect((await stat(dataPath)).size).toBe(kept === 0 ? 0 : ends[kept - 1]);
    // Writing goes on right after the cut, and survives a reopen.
    await store.put(bytes('after'), bytes('recovery'));
  } finally {
    await store.close();
  }
  const reopened = await BitcaskStore.open(work);
  try {
    expect(String(await reopened.get(bytes('after')))).toBe('recovery');
    expect(reopened.size).toBe(ends.filter((end) => end <= validEnd).length + 1);
  } finally {
    await reopened.close();
  }
}

describe('recovery of a torn active file', () => {
  it('needs no repair after a clean crash', async () => {
    await crashSnapshot(pristine, work);
    const store = await BitcaskStore.open(work);
    expect(store.recovery).toMatchObject({ scannedFileIds: [1], truncatedFiles: [] });
    await store.close();
  });

  it('cuts a file truncated at any byte back to the last whole record', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: ends.at(-1)! }), async (cut) => {
        await crashSnapshot(pristine, work);
        await truncate(dataPath, cut);
        await expectPrefixKept(ends.filter((end) => end <= cut).at(-1) ?? 0);
      }),
      { numRuns: 40 },
    );
  });

  it('cuts a file at a damaged byte, dropping that record and everything after it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: ends.at(-1)! - 1 }), fc.integer({ min: 1, max: 255 }), async (position, mask) => {
        await crashSnapshot(pristine, work);
        const handle = await open(dataPath, 'r+');
        const byte = Buffer.alloc(1);
        await handle.read(byte, 0, 1, position);
        byte[0]! ^= mask;
        await handle.write(byte, 0, 1, position);
        await handle.close();
        const damagedRecord = ends.findIndex((end) => end > position);
        await expectPrefixKept(damagedRecord === 0 ? 0 : ends[damagedRecord - 1]!);
      }),
      { numRuns: 40 },
    );
  });

  it('cuts garbage appended after the last record', async () => {
    await crashSnapshot(pristine, work);
    const handle = await open(dataPath, 'a');
    await handle.write(Buffer.from(Array.from({ length: 2 * RECORD_HEADER_BYTES }, (_, i) => i + 1)));
    await handle.close();
    await expectPrefixKept(ends.at(-1)!);
  });

  it('falls back to the older value when an overwrite was torn', async () => {
    const dir = join(root, 'overwrite');
    const store = await BitcaskStore.open(dir);
    await store.put(bytes('k'), bytes('old'));
    await store.put(bytes('k'), bytes('new'));
    await crashSnapshot(dir, work);
    await store.close();
    await truncate(join(work, dataFileName(1)), (await stat(join(work, dataFileName(1)))).size - 1);
    const reopened = await BitcaskStore.open(work);
    expect(String(await reopened.get(bytes('k')))).toBe('old');
    await reopened.close();
  });
});
