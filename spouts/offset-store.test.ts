import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileOffsetStore } from './offset-store.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'offset-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('file offset store', () => {
  it('keeps the offsets of every topic partition across instances, in one JSON file', async () => {
    const path = join(dir, 'offsets.json');
    const store = new FileOffsetStore(path);
    expect(await store.read('words', 0)).toBeUndefined();
    // Commits of several tasks sharing the instance, issued together, all land.
    await Promise.all([store.commit('words', 0, 10), store.commit('words', 1, 20), store.commit('other', 0, 3), store.commit('words', 0, 11)]);
    const reopened = new FileOffsetStore(path);
    expect([await reopened.read('words', 0), await reopened.read('words', 1), await reopened.read('other', 0), await reopened.read('other', 1)]).toEqual([11, 20, 3, undefined]);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ offsets: { words: { '0': 11, '1': 20 }, other: { '0': 3 } } });
  });

  it('refuses a file that holds no offsets, and a negative offset', async () => {
    const path = join(dir, 'offsets.json');
    await writeFile(path, '{"something":"else"}');
    await expect(new FileOffsetStore(path).read('words', 0)).rejects.toMatchObject({ code: 'CHECKPOINT_CORRUPT' });
    await expect(new FileOffsetStore(join(dir, 'fresh.json')).commit('words', 0, -1)).rejects.toMatchObject({ code: 'CHECKPOINT_CORRUPT' });
  });

  it('does not report an offset whose write failed', async () => {
    const store = new FileOffsetStore(join(dir, 'missing-directory', 'offsets.json'));
    await expect(store.commit('words', 0, 5)).rejects.toThrow();
    expect(await store.read('words', 0)).toBeUndefined();
  });
});
