import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { appendFile, mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Entry } from '../raft/types.js';
import { RaftDiskStorage } from './raft-disk-storage.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'raft-storage-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function entries(from: number, to: number, term = 1, tag = 'x'): Entry[] {
  return Array.from({ length: to - from + 1 }, (_, i) => ({ index: from + i, term, kind: 'normal' as const, data: new TextEncoder().encode(`${tag}${from + i}`) }));
}

async function reopen(options?: { segmentBytes?: number }) {
  const { storage, restored } = await RaftDiskStorage.open(dir, options);
  await storage.close();
  return restored;
}

async function segmentFiles(): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith('.log')).sort();
}

describe('raft disk storage', () => {
  it('opens an empty directory with nothing to restore', async () => {
    expect(await reopen()).toBeUndefined();
  });

  it('round-trips hard state, entries and snapshot', async () => {
    const { storage } = await RaftDiskStorage.open(dir, { segmentBytes: 100 });
    await storage.persist({ hardState: { term: 2, votedFor: 3, commit: 5 }, entries: entries(1, 10) });
    await storage.close();
    const restored = await reopen();
    expect(restored).toEqual({ hardState: { term: 2, votedFor: 3, commit: 5 }, snapshot: undefined, entries: entries(1, 10) });
    expect((await segmentFiles()).length).toBeGreaterThan(1);
  });

  it('overwrites a conflicting suffix, across segments', async () => {
    const { storage } = await RaftDiskStorage.open(dir, { segmentBytes: 60 });
    await storage.persist({ entries: entries(1, 12, 1) });
    await storage.persist({ entries: entries(4, 6, 2, 'y') });
    await storage.close();
    const restored = await reopen();
    expect(restored!.entries).toEqual([...entries(1, 3, 1), ...entries(4, 6, 2, 'y')]);
  });

  it('recovers a torn tail to the last good record and keeps appending after it', async () => {
    const { storage } = await RaftDiskStorage.open(dir);
    await storage.persist({ entries: entries(1, 5) });
    await storage.close();
    const [segment] = await segmentFiles();
    const path = join(dir, segment!);
    await truncate(path, (await stat(path)).size - 3);
    await appendFile(path, Buffer.from('garbage after the tear'));
    const { storage: reopened, restored } = await RaftDiskStorage.open(dir);
    expect(restored!.entries).toEqual(entries(1, 4));
    await reopened.persist({ entries: entries(5, 6, 1, 'z') });
    await reopened.close();
    expect((await reopen())!.entries).toEqual([...entries(1, 4), ...entries(5, 6, 1, 'z')]);
  });

  it('restores a commit index no further than the log when the disk lost fsynced entries', async () => {
    const { storage } = await RaftDiskStorage.open(dir);
    await storage.persist({ entries: entries(1, 5), hardState: { term: 1, votedFor: 2, commit: 5 } });
    await storage.close();
    const [segment] = await segmentFiles();
    const path = join(dir, segment!);
    // Cut into entry 4 (the five records have equal sizes): more than a torn write, the disk
    // dropped entries it had acknowledged as fsynced.
    const recordBytes = (await stat(path)).size / 5;
    await truncate(path, 3 * recordBytes + 2);
    const restored = await reopen();
    expect(restored!.entries).toEqual(entries(1, 3));
    expect(restored!.hardState).toEqual({ term: 1, votedFor: 2, commit: 3 });
  });

  it('stops at a flipped byte (CRC mismatch) and drops later segments', async () => {
    const { storage } = await RaftDiskStorage.open(dir, { segmentBytes: 60 });
    await storage.persist({ entries: entries(1, 9) });
    await storage.close();
    const files = await segmentFiles();
    expect(files.length).toBeGreaterThan(2);
    const path = join(dir, files[1]!);
    const bytes = await readFile(path);
    bytes[bytes.length - 1]! ^= 0xff;
    await writeFile(path, bytes);
    const restored = await reopen();
    const lastGood = restored!.entries.at(-1)!.index;
    expect(restored!.entries).toEqual(entries(1, lastGood));
    expect(lastGood).toBeLessThan(9);
    expect(await segmentFiles()).toEqual(files.slice(0, 2));
  });

  it('compaction stores the snapshot and deletes segments entirely below it', async () => {
    const { storage } = await RaftDiskStorage.open(dir, { segmentBytes: 60 });
    await storage.persist({ entries: entries(1, 20) });
    const before = await segmentFiles();
    await storage.compact({ index: 12, term: 1, data: new Uint8Array([7]) });
    await storage.close();
    const after = await segmentFiles();
    expect(after.length).toBeLessThan(before.length);
    const restored = await reopen();
    expect(restored!.snapshot).toEqual({ index: 12, term: 1, data: new Uint8Array([7]) });
    expect(restored!.entries).toEqual(entries(13, 20));
    expect(restored!.hardState.commit).toBe(12);
  });

  it("replaces the whole log by a leader's snapshot", async () => {
    const { storage } = await RaftDiskStorage.open(dir);
    await storage.persist({ entries: entries(1, 5, 1) });
    await storage.persist({ snapshot: { index: 30, term: 3, data: new Uint8Array([1]) }, entries: entries(31, 32, 3), hardState: { term: 3, votedFor: 0, commit: 30 } });
    await storage.close();
    const restored = await reopen();
    expect(restored).toEqual({ hardState: { term: 3, votedFor: 0, commit: 30 }, snapshot: { index: 30, term: 3, data: new Uint8Array([1]) }, entries: entries(31, 32, 3) });
  });

  it('refuses entries that do not continue the log', async () => {
    const { storage } = await RaftDiskStorage.open(dir);
    await storage.persist({ entries: entries(1, 2) });
    await expect(storage.persist({ entries: entries(5, 6) })).rejects.toMatchObject({ code: 'STORAGE_MISUSE' });
    await storage.close();
    await expect(storage.persist({ entries: entries(3, 3) })).rejects.toMatchObject({ code: 'STORAGE_CLOSED' });
  });
});
