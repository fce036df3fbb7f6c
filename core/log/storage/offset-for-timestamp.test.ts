import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PartitionLog } from './partition-log.js';
import { batchOf } from './test-batches.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('offset for a timestamp (ListOffsets by time)', () => {
  it('finds the first batch at or after the time, across segments, and nothing past the newest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'log-time-'));
    dirs.push(dir);
    const log = await PartitionLog.open(dir, { segmentBytes: 200 });
    // Ten batches of two records, one second apart.
    for (let i = 0; i < 10; i += 1) await log.append(batchOf([`a${i}`, `b${i}`], { baseTimestamp: 1_000_000 + i * 1_000 }), 0);
    expect(log.segmentBaseOffsets.length).toBeGreaterThan(2);
    // The helper stamps record i of a batch at baseTimestamp + i, so batch n's maxTimestamp is +1.
    const maxOf = (n: number) => 1_000_000 + n * 1_000 + 1;
    expect(await log.offsetForTimestamp(0)).toEqual({ offset: 0, timestampMs: maxOf(0) });
    expect(await log.offsetForTimestamp(1_004_000)).toEqual({ offset: 8, timestampMs: maxOf(4) });
    expect(await log.offsetForTimestamp(maxOf(4))).toEqual({ offset: 8, timestampMs: maxOf(4) });
    expect(await log.offsetForTimestamp(maxOf(4) + 1)).toEqual({ offset: 10, timestampMs: maxOf(5) });
    expect(await log.offsetForTimestamp(maxOf(9))).toEqual({ offset: 18, timestampMs: maxOf(9) });
    expect(await log.offsetForTimestamp(maxOf(9) + 1)).toBeUndefined();
    await log.close();
  });
});
