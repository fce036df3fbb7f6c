import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { BitcaskStore, type BitcaskOptions } from './bitcask-store.js';
import { dataFileName } from './data-file.js';
import { CorruptRecordError, MergeInProgressError } from './errors.js';
import type { MergeStep } from './merge.js';
import { bytes, contentsOf, crashSnapshot, removeDirectory, scratchDirectory } from './test-support.js';

let root: string;
let dir: string;
let nowMs: number;
const OPTIONS: BitcaskOptions = { maxFileBytes: 150, fsync: 'never', now: () => nowMs };

beforeEach(async () => {
  root = await scratchDirectory('merge');
  dir = join(root, 'store');
  nowMs = 1_000_000;
});
afterEach(async () => {
  await removeDirectory(root);
});

/** Overwrites, deletes (of keys whose puts sit in older files) and an expiring key, over many
 * files; returns the live contents. */
async function writeHistory(store: BitcaskStore): Promise<Map<string, string>> {
  const expected = new Map<string, string>();
  await store.put(bytes('doomed'), bytes('resurrect me not'));
  for (let i = 0; i < 30; i++) {
    await store.put(bytes(`key-${i % 10}`), bytes(`value-${i}`));
    expected.set(`key-${i % 10}`, `value-${i}`);
  }
  await store.put(bytes('short-lived'), bytes('x'), { expiresAtMs: nowMs + 10 });
  await store.delete(bytes('doomed'));
  await store.delete(bytes('key-3'));
  expected.delete('key-3');
  for (let i = 0; i < 5; i++) await store.put(bytes(`filler-${i}`), bytes('f'.repeat(40)));
  for (let i = 0; i < 5; i++) expected.set(`filler-${i}`, 'f'.repeat(40));
  nowMs += 10;
  return new Map([...expected].sort(([a], [b]) => (a < b ? -1 : 1)));
}

async function dataFiles(path: string): Promise<string[]> {
  return (await readdir(path)).filter((name) => name.endsWith('.data')).sort();
}

async function expectContents(path: string, expected: Map<string, string>): Promise<BitcaskStore['recovery']> {
  const store = await BitcaskStore.open(path, OPTIONS);
  try {
    expect(await contentsOf(store)).toEqual(expected);
    expect(store.has(bytes('doomed'))).toBe(false);
    return store.recovery;
  } finally {
    await store.close();
  }
}

describe('merge', () => {
  it('keeps exactly the live keys in fewer bytes and deletes the replaced files', async () => {
    const store = await BitcaskStore.open(dir, OPTIONS);
    const expected = await writeHistory(store);
    const filesBefore = store.fileIds;
    const result = await store.merge();
    expect(result.replacedFileIds).toEqual(filesBefore.slice(0, -1));
    expect(result.reclaimedBytes).toBeGreaterThan(0);
    expect(result.liveRecords).toBe(expected.size - 1); // the last filler sits in the active file
    expect(await contentsOf(store)).toEqual(expected);
    expect(store.activeFileId).toBe(filesBefore.at(-1));
    expect(store.fileIds).toEqual([store.activeFileId, ...result.outputFileIds]);
    expect(await dataFiles(dir)).toEqual(store.fileIds.map(dataFileName));
    expect(store.size).toBe(expected.size);
    await store.close();
    expect(await expectContents(dir, expected)).toMatchObject({ scannedFileIds: [], interruptedMerge: 'none' });
  });

  it('merges merged files again, and does nothing without immutable files', async () => {
    const store = await BitcaskStore.open(dir, OPTIONS);
    const expected = await writeHistory(store);
    await store.merge();
    await store.put(bytes('key-0'), bytes('newest'));
    expected.set('key-0', 'newest');
    await store.merge();
    expect(await contentsOf(store)).toEqual(expected);
    await store.close();
    await expectContents(dir, expected);
    const empty = await BitcaskStore.open(join(root, 'empty'), OPTIONS);
    expect(await empty.merge()).toEqual({ replacedFileIds: [], outputFileIds: [], liveRecords: 0, reclaimedBytes: 0 });
    await empty.close();
  });

  it('lets writes and reads go on during a merge without losing either', async () => {
    const store = await BitcaskStore.open(dir, OPTIONS);
    const expected = await writeHistory(store);
    const merging = store.merge();
    await expect(store.merge()).rejects.toBeInstanceOf(MergeInProgressError);
    // A read sees the store as it was when called, even if the merge moves or replaces its file.
    const before = new Map(expected);
    const reads = [...before.keys()].map(async (key) => [key, String(await store.get(bytes(key)))] as const);
    for (let i = 0; i < 10; i++) {
      await store.put(bytes(`key-${i}`), bytes(`during-${i}`));
      expected.set(`key-${i}`, `during-${i}`);
    }
    await store.delete(bytes('filler-0'));
    expected.delete('filler-0');
    await merging;
    expect(new Map(await Promise.all(reads))).toEqual(before);
    expect(await contentsOf(store)).toEqual(new Map([...expected].sort(([a], [b]) => (a < b ? -1 : 1))));
    await store.close();
    await expectContents(dir, new Map([...expected].sort(([a], [b]) => (a < b ? -1 : 1))));
  });

  it('leaves the old or the new files usable after a crash at any step, never resurrecting a delete', async () => {
    const store = await BitcaskStore.open(dir, OPTIONS);
    const expected = await writeHistory(store);
    const snapshots: [MergeStep, string][] = [];
    await store.merge({
      onStep: async (step) => {
        const snapshot = join(root, `crash-${snapshots.length}-${step}`);
        await crashSnapshot(dir, snapshot);
        snapshots.push([step, snapshot]);
      },
    });
    await store.close();
    const steps = snapshots.map(([step]) => step);
    expect(steps[0]).toBe('outputs-written');
    expect(steps).toContain('output-installed');
    expect(steps.filter((step) => step === 'replaced-file-removed').length).toBeGreaterThan(3);
    for (const [step, snapshot] of snapshots) {
      const recovery = await expectContents(snapshot, expected);
      const outcome = step === 'outputs-written' ? 'rolled-back' : step === 'finished' ? 'none' : 'rolled-forward';
      expect([step, recovery.interruptedMerge]).toEqual([step, outcome]);
      expect((await readdir(snapshot)).filter((name) => name.includes('MERGE') || name.endsWith('.merging'))).toEqual([]);
    }
  });

  it('orders records by sequence number: an overwrite in the older active file beats the merge output', async () => {
    const store = await BitcaskStore.open(dir, { ...OPTIONS, maxFileBytes: 1000 });
    await store.put(bytes('k'), bytes('merged'));
    await store.put(bytes('filler'), Buffer.alloc(900));
    await store.put(bytes('small'), bytes('s'));
    const { outputFileIds } = await store.merge();
    await store.put(bytes('k'), bytes('newest'));
    expect(store.fileIds).toEqual([store.activeFileId, ...outputFileIds]);
    await crashSnapshot(dir, join(root, 'crashed'));
    await store.close();
    const expected = new Map([['filler', '\0'.repeat(900)], ['k', 'newest'], ['small', 's']]);
    await expectContents(dir, expected);
    await expectContents(join(root, 'crashed'), expected);
  });

  it('never appends to a merge output after a reopen, so a later merge keeps deletes', async () => {
    // The files after the first merge: 3 = [delete a], 4 = merge output [b]; then "delete b" goes
    // to 3. Were 4 reused as the active file after the reopen, the second merge would take only 3
    // and drop the tombstone of b while its put lives on in 4.
    const options = { ...OPTIONS, maxFileBytes: 78 };
    let store = await BitcaskStore.open(dir, options);
    await store.put(bytes('a'), bytes('#0'));
    await store.put(bytes('b'), bytes('#1'));
    await store.delete(bytes('a'));
    expect((await store.merge()).outputFileIds).toEqual([4]);
    await store.delete(bytes('b'));
    await store.close();
    store = await BitcaskStore.open(dir, options);
    expect(store.activeFileId).toBe(5);
    await store.merge();
    await store.close();
    store = await BitcaskStore.open(dir, options);
    expect(store.keys()).toEqual([]);
    await store.close();
  });

  it('stops at a corrupt live record, changing nothing', async () => {
    // No value cache: the damaged value was just written, and a cached copy would hide the damage from get.
    const store = await BitcaskStore.open(dir, { ...OPTIONS, valueCacheBytes: 0 });
    await store.put(bytes('damaged'), bytes('v'.repeat(100)));
    await store.put(bytes('intact'), bytes('i'));
    await store.put(bytes('active'), bytes('a'.repeat(100)));
    const handle = await open(join(dir, dataFileName(1)), 'r+');
    await handle.write(Buffer.from('X'), 0, 1, 60);
    await handle.close();
    await expect(store.merge()).rejects.toBeInstanceOf(CorruptRecordError);
    expect((await readdir(dir)).filter((name) => name.endsWith('.merging'))).toEqual([]);
    await expect(store.get(bytes('damaged'))).rejects.toMatchObject({ code: 'CORRUPT_RECORD', fileId: 1, position: 0 });
    expect(String(await store.get(bytes('intact')))).toBe('i');
    await store.put(bytes('damaged'), bytes('rewritten'));
    await store.merge();
    expect(String(await store.get(bytes('damaged')))).toBe('rewritten');
    await store.close();
  });
});
