/**
 * A store on a disk that fills up (a small tmpfs, test/faults/harness/small-disk.ts), with small
 * data files so that rolls (hint files, new data files) meet the full disk too. While full, every
 * refused put is a StoreFullError and reads go on; once space is freed the same store takes puts
 * again — a full disk is not a failed fsync, so it must not stop writes for good; and a store
 * opened over the files as they are (what a crash leaves) holds exactly the acknowledged values.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32 } from '../../core/random/mulberry32.js';
import { PAGE_BYTES, seededLeaveFreeBytes, SmallDisk } from '../../test/faults/harness/small-disk.js';
import { faultSeed } from '../../test/faults/harness/scenario.js';
import { BitcaskStore, type BitcaskOptions } from './bitcask-store.js';
import { StoreFullError } from './errors.js';
import { bytes, contentsOf } from './test-support.js';

const SEED = faultSeed(13);
const DISK_BYTES = 512 * 1024;
/** Data files of several pages: puts cross page boundaries inside a file, and files roll often. */
const OPTIONS: BitcaskOptions = { fsync: 'always', maxFileBytes: 16 * 1024 };
const PUTS_PER_PHASE = 100;
const KEYS = 40;
const REFUSALS_IN_A_ROW = 8;
const PUTS_WHILE_FULL_MAX = 2_000;
const MAX_VALUE_BYTES = 1_500;

describe('bitcask store on a full disk', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  /** What a crash now would leave, opened again (a copy: recovery must not touch the live files). */
  async function contentsAfterCrash(dir: string): Promise<Map<string, string>> {
    const copy = await mkdtemp(join(tmpdir(), 'bitcask-disk-full-crash-'));
    cleanup.push(() => rm(copy, { recursive: true, force: true }));
    await cp(dir, copy, { recursive: true });
    const reopened = await BitcaskStore.open(copy, OPTIONS);
    try {
      return await contentsOf(reopened);
    } finally {
      await reopened.close();
    }
  }

  it(`refuses puts with StoreFullError, serves reads, and takes puts again once space is freed (FAULT_SEED=${SEED})`, async () => {
    const root = await mkdtemp(join(tmpdir(), 'bitcask-disk-full-'));
    cleanup.push(() => rm(root, { recursive: true, force: true }));
    const disk = await SmallDisk.mount(join(root, 'disk'), DISK_BYTES);
    cleanup.push(() => disk.unmount());
    const dir = join(disk.dir, 'data');
    const store = await BitcaskStore.open(dir, OPTIONS);
    cleanup.push(() => store.close().catch(() => undefined));
    const random = mulberry32(SEED);
    const acked = new Map<string, string>();
    const refusals: unknown[] = [];
    let attempt = 0;
    const put = async (key: string, value: string): Promise<boolean> => {
      try {
        await store.put(bytes(key), bytes(value));
        acked.set(key, value);
        return true;
      } catch (error) {
        refusals.push(error);
        return false;
      }
    };
    const putOne = () => put(`key-${Math.floor(random() * KEYS)}`, `v${attempt++}:`.padEnd(Math.floor(random() * MAX_VALUE_BYTES), 'x'));
    /** Two puts at once, written as one batch: a small record, then a large one. A full disk
     * tears the batch in its large record, after the whole small one. */
    const putPair = async (): Promise<boolean> => {
      const first = Math.floor(random() * (KEYS / 2));
      const small = put(`key-${first}`, `v${attempt++}:`.padEnd(Math.floor(random() * 50), 'x'));
      const large = put(`key-${first + KEYS / 2}`, `v${attempt++}:`.padEnd(MAX_VALUE_BYTES + Math.floor(random() * MAX_VALUE_BYTES), 'x'));
      const [smallStored, largeStored] = await Promise.all([small, large]);
      return smallStored && largeStored;
    };
    const sorted = (map: Map<string, string>) => new Map([...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

    for (let i = 0; i < PUTS_PER_PHASE; i++) expect(await putOne()).toBe(true);
    await disk.fill(seededLeaveFreeBytes(SEED, 4));
    let inARow = 0;
    for (let i = 0; i < PUTS_WHILE_FULL_MAX && inARow < REFUSALS_IN_A_ROW; i++) inARow = (await putPair()) ? 0 : inARow + 1;
    expect(inARow).toBe(REFUSALS_IN_A_ROW);
    for (const refusal of refusals) expect(refusal).toBeInstanceOf(StoreFullError);
    expect(await contentsOf(store)).toEqual(sorted(acked));
    expect(await contentsAfterCrash(dir)).toEqual(sorted(acked));

    await disk.free();
    const refusedWhileFull = refusals.length;
    for (let i = 0; i < PUTS_PER_PHASE; i++) await putOne();
    expect(refusals.slice(refusedWhileFull)).toEqual([]);
    expect(store.fileIds.length).toBeGreaterThan(2);
    expect(await contentsAfterCrash(dir)).toEqual(sorted(acked));
    console.log(`bitcask on a full disk (FAULT_SEED=${SEED}, ${seededLeaveFreeBytes(SEED, 4) / PAGE_BYTES} pages left): ${attempt} puts, ${refusedWhileFull} refused, ${store.fileIds.length} data files`);
  }, 30_000);
});

describe('bitcask store reopened on a full disk', () => {
  it('opens without writing hint files, serves reads, refuses puts, and takes puts once space is freed', async () => {
    const root = await mkdtemp(join(tmpdir(), 'bitcask-disk-full-reopen-'));
    const disk = await SmallDisk.mount(join(root, 'disk'), 256 * 1024);
    let abandoned: BitcaskStore | undefined;
    try {
      const dir = join(disk.dir, 'data');
      abandoned = await BitcaskStore.open(dir, OPTIONS);
      const written = new Map(Array.from({ length: 60 }, (_, i) => [`key-${String(i).padStart(2, '0')}`, `value-${i}`.padEnd(300, 'x')] as const));
      for (const [key, value] of written) await abandoned.put(bytes(key), bytes(value));
      // A crash (no close): the active file has no hint, and recovery, having scanned it, finds
      // no room to write one.
      await disk.fill();
      const store = await BitcaskStore.open(dir, OPTIONS);
      try {
        expect(await contentsOf(store)).toEqual(written);
        await expect(store.put(bytes('refused'), bytes('x'.repeat(5_000)))).rejects.toBeInstanceOf(StoreFullError);
        await disk.free();
        await store.put(bytes('after'), bytes('freed'));
        expect((await store.get(bytes('after')))?.toString()).toBe('freed');
      } finally {
        await store.close();
      }
    } finally {
      // Only now: the abandoned instance's handles would otherwise be closed by the garbage collector.
      await abandoned?.close().catch(() => undefined);
      await disk.unmount();
      await rm(root, { recursive: true, force: true });
    }
  });
});
