import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogMisuseError } from './errors.js';
import { LEADER_EPOCH_CHECKPOINT_FILE, LeaderEpochCache, parseCheckpoint, UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET } from './leader-epoch-cache.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'leader-epoch-cache-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const checkpointPath = () => join(dir, LEADER_EPOCH_CHECKPOINT_FILE);

/** A cache holding `entries`, assigned in order. */
async function cacheOf(...entries: [number, number][]): Promise<LeaderEpochCache> {
  const cache = await LeaderEpochCache.load(dir);
  await cache.assignAll(entries.map(([epoch, startOffset]) => ({ epoch, startOffset })));
  return cache;
}

const pairs = (cache: LeaderEpochCache) => cache.entries().map(({ epoch, startOffset }) => [epoch, startOffset]);

describe('leader epoch cache: assign', () => {
  it('starts empty, with latest epoch -1, when there is no checkpoint', async () => {
    const cache = await LeaderEpochCache.load(dir);
    expect(cache.entries()).toEqual([]);
    expect(cache.latestEpoch).toBe(UNDEFINED_EPOCH);
    expect(cache.loadedFromCheckpoint).toBe(false);
  });

  it('records the first offset of each new epoch and ignores later batches of the same epoch', async () => {
    const cache = await cacheOf([0, 0]);
    expect(await cache.assign(0, 10)).toBe(false);
    expect(await cache.assign(3, 25)).toBe(true);
    expect(await cache.assign(3, 40)).toBe(false);
    expect(pairs(cache)).toEqual([[0, 0], [3, 25]]);
    expect(cache.latestEpoch).toBe(3);
  });

  it('ignores batches written without an epoch (-1)', async () => {
    const cache = await cacheOf([1, 0]);
    expect(await cache.assign(-1, 50)).toBe(false);
    expect(pairs(cache)).toEqual([[1, 0]]);
  });

  it('rejects a negative or fractional offset and a non-int32 epoch as misuse', async () => {
    const cache = await cacheOf();
    await expect(cache.assign(1, -1)).rejects.toBeInstanceOf(LogMisuseError);
    await expect(cache.assign(1.5, 0)).rejects.toBeInstanceOf(LogMisuseError);
    await expect(cache.assign(2 ** 31, 0)).rejects.toBeInstanceOf(LogMisuseError);
    await expect(cache.truncateFromEnd(0.5)).rejects.toBeInstanceOf(LogMisuseError);
  });

  // Kafka's rule: an assignment describes data just written at the log end, so entries that
  // contradict it describe data that is gone and are dropped; the cache stays monotonic.
  it('lets the newest assignment win over entries that contradict it, as Kafka does', async () => {
    const sameEpochEarlier = await cacheOf([1, 0], [2, 20]);
    await sameEpochEarlier.assign(2, 15);
    expect(pairs(sameEpochEarlier)).toEqual([[1, 0], [2, 15]]);

    const newerEpochEarlier = await cacheOf([1, 0], [2, 20], [3, 30]);
    await newerEpochEarlier.assign(4, 20);
    expect(pairs(newerEpochEarlier)).toEqual([[1, 0], [4, 20]]);

    const sameStart = await cacheOf([1, 0], [2, 20]);
    await sameStart.assign(3, 20); // epoch 2 began but never wrote
    expect(pairs(sameStart)).toEqual([[1, 0], [3, 20]]);

    const olderEpoch = await cacheOf([1, 0], [3, 10]);
    await olderEpoch.assign(2, 20);
    expect(pairs(olderEpoch)).toEqual([[1, 0], [2, 20]]);
  });

  it('keeps epochs and start offsets strictly growing whatever is assigned', async () => {
    const entry = fc.record({ epoch: fc.integer({ min: -1, max: 8 }), startOffset: fc.integer({ min: 0, max: 60 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { maxLength: 12 }), async (entries) => {
        const cache = await LeaderEpochCache.load(dir);
        for (const { epoch, startOffset } of entries) await cache.assign(epoch, startOffset);
        const result = cache.entries();
        result.slice(1).forEach((current, i) => {
          expect(current.epoch).toBeGreaterThan(result[i]!.epoch);
          expect(current.startOffset).toBeGreaterThan(result[i]!.startOffset);
        });
        const last = entries.filter(({ epoch }) => epoch >= 0).at(-1);
        if (last !== undefined) expect(result.at(-1)!.epoch).toBe(last.epoch); // the newest always wins
        expect((await LeaderEpochCache.load(dir)).entries()).toEqual(result);
        await rm(checkpointPath(), { force: true });
      }),
      { numRuns: 40 },
    );
  });
});

describe('leader epoch cache: endOffsetFor (Kafka\'s OffsetForLeaderEpoch rules)', () => {
  const logEndOffset = 100;

  it('answers UNDEFINED for an empty cache and for the undefined epoch', async () => {
    const empty = await cacheOf();
    expect(empty.endOffsetFor(0, logEndOffset)).toEqual({ epoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET });
    const cache = await cacheOf([1, 0]);
    expect(cache.endOffsetFor(UNDEFINED_EPOCH, logEndOffset)).toEqual({ epoch: -1, endOffset: -1 });
  });

  it('ends the latest epoch at the log end', async () => {
    const cache = await cacheOf([1, 0], [4, 30]);
    expect(cache.endOffsetFor(4, logEndOffset)).toEqual({ epoch: 4, endOffset: 100 });
  });

  it('ends an older epoch where the next higher epoch starts', async () => {
    const cache = await cacheOf([1, 0], [4, 30], [6, 70]);
    expect(cache.endOffsetFor(1, logEndOffset)).toEqual({ epoch: 1, endOffset: 30 });
    expect(cache.endOffsetFor(4, logEndOffset)).toEqual({ epoch: 4, endOffset: 70 });
  });

  it('answers an epoch that never wrote with the largest epoch below it', async () => {
    const cache = await cacheOf([1, 0], [4, 30], [6, 70]);
    expect(cache.endOffsetFor(2, logEndOffset)).toEqual({ epoch: 1, endOffset: 30 });
    expect(cache.endOffsetFor(5, logEndOffset)).toEqual({ epoch: 4, endOffset: 70 });
  });

  it('answers an epoch below the first entry with itself and the first start offset', async () => {
    const cache = await cacheOf([3, 40], [5, 60]);
    expect(cache.endOffsetFor(1, logEndOffset)).toEqual({ epoch: 1, endOffset: 40 });
  });

  it('answers an epoch above the latest with UNDEFINED', async () => {
    const cache = await cacheOf([1, 0], [4, 30]);
    expect(cache.endOffsetFor(9, logEndOffset)).toEqual({ epoch: -1, endOffset: -1 });
  });
});

describe('leader epoch cache: truncation', () => {
  it('truncateFromEnd removes the entries starting at or after the new log end', async () => {
    const cache = await cacheOf([1, 0], [2, 20], [3, 30]);
    expect(await cache.truncateFromEnd(31)).toBe(false);
    expect(await cache.truncateFromEnd(20)).toBe(true);
    expect(pairs(cache)).toEqual([[1, 0]]);
    await cache.truncateFromEnd(0);
    expect(cache.entries()).toEqual([]);
  });

  it('truncateFromStart drops entries wholly before the new log start and clamps the one holding it', async () => {
    const cache = await cacheOf([1, 0], [2, 20], [3, 30]);
    expect(await cache.truncateFromStart(25)).toBe(true);
    expect(pairs(cache)).toEqual([[2, 25], [3, 30]]);
    expect(await cache.truncateFromStart(25)).toBe(false);
    expect(await cache.truncateFromStart(30)).toBe(true); // an entry starting exactly there stays as is
    expect(pairs(cache)).toEqual([[3, 30]]);
    expect(await cache.truncateFromStart(10)).toBe(false);
  });
});

describe('leader epoch cache: checkpoint file', () => {
  it('writes Kafka\'s text format and reads it back on load', async () => {
    await cacheOf([0, 0], [3, 1200]);
    expect(await readFile(checkpointPath(), 'utf8')).toBe('0\n2\n0 0\n3 1200\n');
    const reloaded = await LeaderEpochCache.load(dir);
    expect(reloaded.loadedFromCheckpoint).toBe(true);
    expect(pairs(reloaded)).toEqual([[0, 0], [3, 1200]]);
  });

  it('treats a malformed checkpoint as missing, so the log rebuilds it', async () => {
    for (const text of ['', '1\n0\n', '0\n2\n0 0\n', '0\n1\nx 0\n', '0\n2\n3 10\n2 20\n', '0\n2\n1 10\n2 10\n', '0\n1\n-1 0\n']) {
      await writeFile(checkpointPath(), text);
      const cache = await LeaderEpochCache.load(dir);
      expect({ text, loaded: cache.loadedFromCheckpoint, entries: cache.entries() }).toEqual({ text, loaded: false, entries: [] });
    }
    expect(parseCheckpoint('0\n0\n')).toEqual([]);
  });

  it('keeps the last complete checkpoint when a write dies before its rename', async () => {
    await cacheOf([1, 0], [2, 20]);
    // What a kill between writing the temp file and renaming it leaves behind.
    await writeFile(checkpointPath() + '.tmp', '0\n3\n1 0\n2 20\n3 ');
    const cache = await LeaderEpochCache.load(dir);
    expect(pairs(cache)).toEqual([[1, 0], [2, 20]]);
    expect(await readdir(dir)).toEqual([LEADER_EPOCH_CHECKPOINT_FILE]);
  });

  it('changes neither memory nor file when the write fails', async () => {
    const cache = await cacheOf([1, 0]);
    await mkdir(checkpointPath() + '.tmp'); // opening the temp file now fails
    await expect(cache.assign(2, 10)).rejects.toThrow();
    expect(pairs(cache)).toEqual([[1, 0]]);
    expect(await readFile(checkpointPath(), 'utf8')).toBe('0\n1\n1 0\n');
  });

  it('refuses overlapping writes instead of racing on the temp file', async () => {
    const cache = await cacheOf();
    const first = cache.assign(1, 0);
    await expect(cache.assign(2, 10)).rejects.toBeInstanceOf(LogMisuseError);
    await first;
    expect(pairs(cache)).toEqual([[1, 0]]);
  });
});
