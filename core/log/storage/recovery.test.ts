import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, open, readdir, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PartitionLog, type PartitionLogOptions } from './partition-log.js';
import { iterateBatches, validateBatch } from './record-batch.js';
import { batchOf, decodeValues } from './test-batches.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'partition-log-recovery-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const SMALL: PartitionLogOptions = { segmentBytes: 2048, indexIntervalBytes: 100 };
const BATCH_BYTES = batchOf(['value-0000']).length;

/** A log of `count` one-record batches "value-NNNN", closed; returns the last segment's path. */
async function writeLog(count: number): Promise<string> {
  const log = await PartitionLog.open(dir, SMALL);
  for (let i = 0; i < count; i++) await log.append(batchOf([`value-${String(i).padStart(4, '0')}`]), 1);
  const last = log.segmentBaseOffsets.at(-1)!;
  await log.close();
  return join(dir, `${String(last).padStart(20, '0')}.log`);
}

async function valuesFrom(log: PartitionLog, offset: number): Promise<string[]> {
  const bytes = Buffer.concat(await log.readBuffers(offset, Number.MAX_SAFE_INTEGER));
  return [...iterateBatches(bytes)].flatMap(({ position }) => decodeValues(bytes, position).map(String));
}

describe('partition log recovery', () => {
  it('cuts a segment torn in the middle of a batch and appends after it', async () => {
    const lastPath = await writeLog(100);
    const size = (await stat(lastPath)).size;
    await truncate(lastPath, size - 5);
    const log = await PartitionLog.open(dir, SMALL);
    expect(log.logEndOffset).toBe(99);
    expect((await stat(lastPath)).size).toBe(size - BATCH_BYTES);
    await log.append(batchOf(['after']), 2);
    const values = await valuesFrom(log, 95);
    expect(values).toEqual(['value-0095', 'value-0096', 'value-0097', 'value-0098', 'after']);
    await log.close();
  });

  it('cuts at a flipped byte in the tail, dropping everything after it', async () => {
    const lastPath = await writeLog(100);
    const size = (await stat(lastPath)).size;
    const handle = await open(lastPath, 'r+');
    const flipAt = size - BATCH_BYTES - 3; // inside the records of the second-to-last batch (offset 98)
    const byte = Buffer.alloc(1);
    await handle.read(byte, 0, 1, flipAt);
    byte[0]! ^= 0x40;
    await handle.write(byte, 0, 1, flipAt);
    await handle.close();
    const log = await PartitionLog.open(dir, SMALL);
    expect(log.logEndOffset).toBe(98);
    expect((await valuesFrom(log, 96)).at(-1)).toBe('value-0097');
    await log.close();
  });

  it('rebuilds missing or garbage indexes so lookups still find every offset', async () => {
    await writeLog(150);
    const names = await readdir(dir);
    const indexes = names.filter((name) => name.endsWith('.index') || name.endsWith('.timeindex'));
    expect(indexes.length).toBeGreaterThan(4);
    await rm(join(dir, indexes[0]!));
    await writeFile(join(dir, indexes[1]!), Buffer.from('garbage!!')); // not whole entries
    await writeFile(join(dir, indexes[2]!), Buffer.alloc(8, 0xff)); // a negative position
    const log = await PartitionLog.open(dir, SMALL);
    expect(log.logEndOffset).toBe(150);
    for (let offset = 0; offset < 150; offset += 7) {
      const [batch] = await log.readBuffers(offset, 1);
      expect(validateBatch(batch!, 0).baseOffset).toBe(offset);
    }
    expect((await readdir(dir)).filter((name) => name.endsWith('.index'))).toHaveLength(log.segmentBaseOffsets.length);
    await log.close();
  });

  it('removes index files left behind by a segment deleted mid-way', async () => {
    await writeLog(10);
    await writeFile(join(dir, '00000000000000099999.index'), Buffer.alloc(0));
    const log = await PartitionLog.open(dir, SMALL);
    expect(await readdir(dir)).not.toContain('00000000000000099999.index');
    expect(log.logEndOffset).toBe(10);
    await log.close();
  });

  it('recovers an empty last segment left by a crash right after a roll', async () => {
    await writeLog(60);
    const log = await PartitionLog.open(dir, SMALL);
    const end = log.logEndOffset;
    await log.close();
    await writeFile(join(dir, `${String(end).padStart(20, '0')}.log`), Buffer.alloc(0));
    const reopened = await PartitionLog.open(dir, SMALL);
    expect(reopened.logEndOffset).toBe(end);
    await reopened.append(batchOf(['next']), 1);
    expect(await valuesFrom(reopened, end)).toEqual(['next']);
    await reopened.close();
  });
});
