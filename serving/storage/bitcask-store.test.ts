import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { BitcaskStore, type BitcaskOptions, type IntervalScheduler } from './bitcask-store.js';
import { KeyTooLargeError, StorageMisuseError, StoreClosedError, ValueTooLargeError } from './errors.js';
import { MAX_KEY_BYTES, MAX_VALUE_BYTES } from './limits.js';
import { bytes, contentsOf, removeDirectory, scratchDirectory } from './test-support.js';

let dir: string;
beforeEach(async () => {
  dir = await scratchDirectory('store');
});
afterEach(async () => {
  await removeDirectory(dir);
});

/** Opens a store in `dir`, runs `body`, closes it even if body throws. */
async function withStore<T>(options: BitcaskOptions, body: (store: BitcaskStore) => Promise<T>): Promise<T> {
  const store = await BitcaskStore.open(dir, options);
  try {
    return await body(store);
  } finally {
    await store.close();
  }
}

async function hintFiles(): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith('.hint'));
}

describe('bitcask store', () => {
  it('returns what was put, for binary, empty and large keys and values', async () => {
    await withStore({}, async (store) => {
      const binaryKey = Buffer.from([0, 255, 128, 10, 0]);
      const large = Buffer.alloc(3 * 1024 * 1024, 7);
      await store.put(binaryKey, bytes('binary key'));
      await store.put(Buffer.alloc(0), Buffer.alloc(0));
      await store.put(bytes('large'), large);
      expect(await store.get(binaryKey)).toEqual(bytes('binary key'));
      expect(await store.get(Buffer.alloc(0))).toEqual(Buffer.alloc(0));
      expect((await store.get(bytes('large')))!.equals(large)).toBe(true);
      expect(await store.get(bytes('missing'))).toBeUndefined();
      expect(store.size).toBe(3);
      expect(store.has(binaryKey)).toBe(true);
      expect(store.metadata(bytes('large'))?.valueSizeBytes).toBe(large.length);
    });
  });

  it('returns the newest value after overwrites', async () => {
    await withStore({}, async (store) => {
      for (let i = 0; i < 10; i++) await store.put(bytes('k'), bytes(`v${i}`));
      expect(await store.get(bytes('k'))).toEqual(bytes('v9'));
      expect(store.size).toBe(1);
    });
  });

  it('deletes with a tombstone, reporting whether the key existed', async () => {
    await withStore({}, async (store) => {
      await store.put(bytes('k'), bytes('v'));
      expect(await store.delete(bytes('k'))).toBe(true);
      expect(await store.delete(bytes('k'))).toBe(false);
      expect(await store.get(bytes('k'))).toBeUndefined();
      expect(store.has(bytes('k'))).toBe(false);
      expect(store.size).toBe(0);
    });
    await withStore({}, async (store) => expect(await store.get(bytes('k'))).toBeUndefined());
  });

  it('reports expiry, hides keys once expired, and keeps that across a reopen', async () => {
    let nowMs = 1_000_000;
    const now = () => nowMs;
    await withStore({ now }, async (store) => {
      await store.put(bytes('session'), bytes('token'), { expiresAtMs: 1_005_000 });
      await store.put(bytes('forever'), bytes('x'));
      expect(await store.getEntry(bytes('session'))).toEqual({ value: bytes('token'), writtenAtMs: 1_000_000, expiresAtMs: 1_005_000 });
      expect(store.metadata(bytes('session'))).toEqual({ valueSizeBytes: 5, writtenAtMs: 1_000_000, expiresAtMs: 1_005_000 });
      expect(store.metadata(bytes('forever'))?.expiresAtMs).toBeUndefined();
      nowMs = 1_005_000;
      expect(await store.get(bytes('session'))).toBeUndefined();
      expect(store.has(bytes('session'))).toBe(false);
      expect(store.keys().map(String)).toEqual(['forever']);
      expect(await store.delete(bytes('session'))).toBe(false);
    });
    await withStore({ now }, async (store) => {
      expect(await store.get(bytes('session'))).toBeUndefined();
      expect(store.size).toBe(1);
    });
  });

  it('refuses keys and values over the limits with typed errors, storing nothing', async () => {
    await withStore({ maxKeyBytes: 8, maxValueBytes: 16 }, async (store) => {
      await expect(store.put(Buffer.alloc(9), bytes('v'))).rejects.toBeInstanceOf(KeyTooLargeError);
      await expect(store.put(bytes('k'), Buffer.alloc(17))).rejects.toMatchObject({ code: 'VALUE_TOO_LARGE', sizeBytes: 17, maxBytes: 16 });
      await expect(store.put(bytes('k'), bytes('v'), { expiresAtMs: -1 })).rejects.toBeInstanceOf(StorageMisuseError);
      expect(store.size).toBe(0);
      await store.put(Buffer.alloc(8), Buffer.alloc(16));
      expect(store.size).toBe(1);
    });
    await expect(BitcaskStore.open(dir, { maxValueBytes: MAX_VALUE_BYTES + 1 })).rejects.toBeInstanceOf(StorageMisuseError);
    await withStore({}, async (store) => {
      await expect(store.put(Buffer.alloc(MAX_KEY_BYTES + 1), bytes('v'))).rejects.toBeInstanceOf(KeyTooLargeError);
      // Checked against the length alone: no 512 MiB buffer needed to see the limit is enforced.
      const tooLarge = { length: MAX_VALUE_BYTES + 1 } as Buffer;
      await expect(store.put(bytes('k'), tooLarge)).rejects.toBeInstanceOf(ValueTooLargeError);
    });
  });

  it('rolls to a new data file at the size limit and reads from every file', async () => {
    await withStore({ maxFileBytes: 200 }, async (store) => {
      for (let i = 0; i < 20; i++) await store.put(bytes(`key-${i}`), bytes(`value-${i}`.padEnd(40, '.')));
      expect(store.fileIds.length).toBeGreaterThanOrEqual(7);
      for (let i = 0; i < 20; i++) expect(String(await store.get(bytes(`key-${i}`)))).toBe(`value-${i}`.padEnd(40, '.'));
      // Every closed file got its hint; the active one gets it on close.
      expect((await hintFiles()).length).toBe(store.fileIds.length - 1);
    });
  });

  it('gives a record larger than the file limit a file of its own', async () => {
    await withStore({ maxFileBytes: 100 }, async (store) => {
      await store.put(bytes('small'), bytes('s'));
      await store.put(bytes('big'), Buffer.alloc(500, 1));
      await store.put(bytes('after'), bytes('a'));
      expect(store.fileIds).toEqual([1, 2, 3]);
      expect((await store.get(bytes('big')))!.length).toBe(500);
    });
  });

  it('reopens from hint files without scanning data files', async () => {
    await withStore({ maxFileBytes: 200 }, async (store) => {
      for (let i = 0; i < 20; i++) await store.put(bytes(`key-${i % 7}`), bytes(`value-${i}`));
      await store.delete(bytes('key-3'));
    });
    await withStore({ maxFileBytes: 200 }, async (store) => {
      expect(store.recovery.scannedFileIds).toEqual([]);
      expect(store.recovery.hintedFileIds).toEqual(store.fileIds);
      expect(await contentsOf(store)).toEqual(new Map([0, 1, 2, 4, 5, 6].map((k) => [`key-${k}`, `value-${k + 14 <= 19 ? k + 14 : k + 7}`])));
    });
  });

  it('reopens by scanning data files when the hints are missing or stale', async () => {
    const expected = new Map<string, string>();
    await withStore({ maxFileBytes: 200 }, async (store) => {
      for (let i = 0; i < 20; i++) {
        await store.put(bytes(`key-${i % 7}`), bytes(`value-${i}`));
        expected.set(`key-${i % 7}`, `value-${i}`);
      }
    });
    const [firstHint, ...otherHints] = (await hintFiles()).sort();
    for (const name of otherHints) await rm(join(dir, name));
    await withStore({ maxFileBytes: 200 }, async (store) => {
      expect(store.recovery.hintedFileIds).toEqual([1]);
      expect(store.recovery.scannedFileIds.length).toBe(store.fileIds.length - 1);
      expect(await contentsOf(store)).toEqual(expected);
      await store.put(bytes('key-0'), bytes('after reopen'));
      expected.set('key-0', 'after reopen');
    });
    expect(firstHint).toBe('0000000001.hint');
    await withStore({ maxFileBytes: 200 }, async (store) => {
      // Scanned closed files got their hints back; the active file's stale hint was replaced.
      expect(store.recovery.scannedFileIds).toEqual([]);
      expect(await contentsOf(store)).toEqual(expected);
    });
  });

  it('keeps appending to the newest file after a reopen while it has room', async () => {
    await withStore({}, async (store) => store.put(bytes('a'), bytes('1')));
    await withStore({}, async (store) => {
      expect(store.fileIds).toEqual([1]);
      await store.put(bytes('b'), bytes('2'));
    });
    await withStore({}, async (store) => {
      expect(store.fileIds).toEqual([1]);
      expect(await contentsOf(store)).toEqual(new Map([['a', '1'], ['b', '2']]));
    });
  });

  it('scans a snapshot of keys and values, skipping keys deleted meanwhile', async () => {
    await withStore({}, async (store) => {
      for (const key of ['a', 'b', 'c']) await store.put(bytes(key), bytes(key.toUpperCase()));
      const seen: string[] = [];
      for await (const [key, value] of store) {
        seen.push(`${key}=${value}`);
        for (const other of ['a', 'b', 'c']) if (other !== key.toString()) await store.delete(bytes(other));
      }
      expect(seen).toHaveLength(1);
      expect(['a=A', 'b=B', 'c=C']).toContain(seen[0]);
    });
  });

  it('serializes writes in call order while reads run alongside', async () => {
    await withStore({ fsync: 'always' }, async (store) => {
      await store.put(bytes('k'), bytes('initial'));
      const writes = Array.from({ length: 50 }, (_, i) => store.put(bytes('k'), bytes(`v${i}`)));
      const reads = Array.from({ length: 50 }, () => store.get(bytes('k')));
      const values = (await Promise.all(reads)).map(String);
      await Promise.all(writes);
      expect(values.every((value) => value === 'initial' || /^v\d+$/.test(value))).toBe(true);
      expect(String(await store.get(bytes('k')))).toBe('v49');
    });
  });

  it("fsyncs before a put resolves under 'always'", async () => {
    await withStore({ fsync: 'always' }, async (store) => {
      await store.put(bytes('k'), bytes('v'));
      expect(store.unsyncedWrites).toBe(0);
    });
  });

  it("fsyncs on the timer under 'interval' and on flush() under 'never'", async () => {
    let tick: (() => void) | undefined;
    const scheduler: IntervalScheduler = {
      setInterval: (callback, intervalMs) => {
        expect(intervalMs).toBe(250);
        tick = callback;
        return 'timer';
      },
      clearInterval: jest.fn(),
    };
    await withStore({ fsync: 'interval', fsyncIntervalMs: 250, scheduler }, async (store) => {
      const flush = jest.spyOn(store, 'flush');
      tick!();
      expect(flush).not.toHaveBeenCalled(); // nothing to sync
      await store.put(bytes('k'), bytes('v'));
      expect(store.unsyncedWrites).toBe(1);
      tick!();
      await flush.mock.results[0]!.value;
      expect(store.unsyncedWrites).toBe(0);
    });
    expect(scheduler.clearInterval).toHaveBeenCalledWith('timer');
    await withStore({ fsync: 'never' }, async (store) => {
      await store.put(bytes('k'), bytes('v'));
      expect(store.unsyncedWrites).toBe(1);
      await store.flush();
      expect(store.unsyncedWrites).toBe(0);
    });
  });

  it('refuses every operation once closed, after finishing queued writes', async () => {
    const store = await BitcaskStore.open(dir);
    const pending = store.put(bytes('k'), bytes('v'));
    await store.close();
    await pending;
    await expect(store.put(bytes('k'), bytes('v'))).rejects.toBeInstanceOf(StoreClosedError);
    await expect(store.get(bytes('k'))).rejects.toBeInstanceOf(StoreClosedError);
    expect(() => store.has(bytes('k'))).toThrow(StoreClosedError);
    await withStore({}, async (reopened) => expect(String(await reopened.get(bytes('k')))).toBe('v'));
  });
});
