import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PartitionLog } from '../storage/index.js';
import { encodeBatch } from '../storage/test-batches.js';
import { LogCleaner, type CleanableTopics } from './log-cleaner.js';

let dir: string;
let log: PartitionLog;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'log-cleaner-'));
  log = await PartitionLog.open(dir, { segmentBytes: 400 });
});
afterEach(async () => {
  await log.close();
  await rm(dir, { recursive: true, force: true });
});

const topicsOf = (topic: string): CleanableTopics => ({ names: () => [topic], partitionIndexes: () => [0], partition: () => log });

async function produce(count: number, keys: number): Promise<void> {
  for (let i = 0; i < count; i++) await log.append(encodeBatch([{ key: Buffer.from(`k${i % keys}`), value: Buffer.from(`v${i}`) }], { baseTimestamp: Date.now() }), 0);
}

describe('log cleaner passes', () => {
  it('cleans a partition once its dirty ratio reaches the threshold, and only then', async () => {
    const cleaner = new LogCleaner(topicsOf('t'), () => Promise.resolve({ compact: true, deleteRetentionMs: 60_000 }), { minCleanableDirtyRatio: 0.5 });
    await produce(40, 3);
    expect(cleaner.dirtyRatio(log)).toBe(1);
    expect(await cleaner.runPass()).toBeGreaterThan(0);
    expect(cleaner.dirtyRatio(log)).toBe(0);
    // Dirty again, but below a cleaner's threshold: that cleaner leaves it.
    await produce(20, 3);
    expect(cleaner.dirtyRatio(log)).toBeGreaterThan(0);
    const strict = new LogCleaner(topicsOf('t'), () => Promise.resolve({ compact: true, deleteRetentionMs: 60_000 }), { minCleanableDirtyRatio: 1.01 });
    expect(await strict.runPass()).toBe(0);
    // Much more: over the threshold again.
    await produce(60, 3);
    expect(cleaner.dirtyRatio(log)).toBeGreaterThanOrEqual(0.5);
    expect(await cleaner.runPass()).toBeGreaterThan(0);
  });

  it('leaves topics that are not compacted alone', async () => {
    const cleaner = new LogCleaner(topicsOf('t'), () => Promise.resolve({ compact: false, deleteRetentionMs: 0 }));
    await produce(40, 3);
    const before = log.sizeBytes;
    expect(await cleaner.runPass(true)).toBe(0);
    expect(log.sizeBytes).toBe(before);
  });

  it('runs passes on its interval once started', async () => {
    await produce(40, 3);
    const cleaner = new LogCleaner(topicsOf('t'), () => Promise.resolve({ compact: true, deleteRetentionMs: 60_000 }), { intervalMs: 20 });
    const before = log.sizeBytes;
    cleaner.start();
    for (let waitedMs = 0; log.sizeBytes >= before && waitedMs < 5_000; waitedMs += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    await cleaner.stop();
    expect(log.sizeBytes).toBeLessThan(before);
  });
});
