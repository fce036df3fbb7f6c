import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProducerStateError } from './errors.js';
import { PartitionLog } from './partition-log.js';
import { BATCH_FIELD, readBatchHeader } from './record-batch.js';
import { crc32c } from './crc32c.js';
import { lastSequenceOf, ProducerStateTable } from './producer-state.js';
import { batchOf } from './test-batches.js';

/** A producer's batch of `count` records: id, epoch and base sequence set, CRC resealed. */
function producerBatch(producerId: number, epoch: number, baseSequence: number, count = 1): Buffer {
  const batch = batchOf(Array.from({ length: count }, (_, i) => `p${producerId}e${epoch}s${baseSequence + i}`), { producerId });
  batch.writeInt16BE(epoch, BATCH_FIELD.producerEpoch);
  batch.writeInt32BE(baseSequence, BATCH_FIELD.baseSequence);
  batch.writeUInt32BE(crc32c(batch, BATCH_FIELD.attributes), BATCH_FIELD.crc);
  return batch;
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'producer-state-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof ProducerStateError) return error.code;
    throw error;
  }
  return 'accepted';
};

describe('producer state table', () => {
  const header = (producerId: number, epoch: number, sequence: number, count = 1, baseOffset = 0) => ({ ...readBatchHeader(producerBatch(producerId, epoch, sequence, count), 0), baseOffset, lastOffset: baseOffset + count - 1 });

  it('accepts sequences in order and recognises a repeat of any of the last five batches', () => {
    const table = new ProducerStateTable();
    for (let i = 0; i < 7; i++) {
      expect(table.check([header(9, 0, i * 2, 2)])).toEqual({ kind: 'append' });
      table.record(header(9, 0, i * 2, 2, 100 + i * 2));
    }
    expect(table.check([header(9, 0, 6, 2)])).toEqual({ kind: 'duplicate', batch: { firstSequence: 6, lastSequence: 7, firstOffset: 106, lastOffset: 107 } });
    expect(codeOf(() => table.check([header(9, 0, 2, 2)]))).toBe('OUT_OF_ORDER_SEQUENCE'); // too old to be remembered
    expect(codeOf(() => table.check([header(9, 0, 15, 1)]))).toBe('OUT_OF_ORDER_SEQUENCE'); // a gap
  });

  it('fences old epochs, restarts sequences on a new epoch, and asks unknown producers to start at 0', () => {
    const table = new ProducerStateTable();
    table.record(header(1, 3, 0, 1));
    expect(codeOf(() => table.check([header(1, 2, 1)]))).toBe('INVALID_PRODUCER_EPOCH');
    expect(codeOf(() => table.check([header(1, 4, 5)]))).toBe('OUT_OF_ORDER_SEQUENCE');
    expect(codeOf(() => table.check([header(1, 4, 0)]))).toBe('accepted');
    expect(codeOf(() => table.check([header(2, 0, 3)]))).toBe('UNKNOWN_PRODUCER_ID');
    expect(codeOf(() => table.check([header(2, 0, 0), header(2, 0, 1)]))).toBe('INVALID_PRODUCER_BATCH');
    expect(table.check([readBatchHeader(batchOf(['plain']), 0)])).toEqual({ kind: 'append' });
  });

  it('wraps sequence numbers after 2^31 - 1 as Kafka does', () => {
    expect(lastSequenceOf({ baseSequence: 0x7fff_fffe, lastOffsetDelta: 3 })).toBe(1);
    fc.assert(fc.property(fc.integer({ min: 0, max: 0x7fff_ffff }), fc.integer({ min: 0, max: 1000 }), (base, delta) => {
      const last = lastSequenceOf({ baseSequence: base, lastOffsetDelta: delta });
      expect(last).toBe((base + delta) % 0x8000_0000);
    }));
  });
});

describe('idempotent appends in the partition log', () => {
  it('stores a retried batch once and answers with its original offsets, even after a restart', async () => {
    let log = await PartitionLog.open(dir);
    await log.append(batchOf(['plain']), 0);
    expect(await log.append(producerBatch(7, 0, 0, 2), 0)).toMatchObject({ baseOffset: 1, lastOffset: 2 });
    expect(await log.append(producerBatch(7, 0, 0, 2), 0)).toEqual({ baseOffset: 1, lastOffset: 2, logAppendTime: -1, duplicate: true });
    expect(log.logEndOffset).toBe(3);
    await log.close();
    log = await PartitionLog.open(dir);
    expect(await log.append(producerBatch(7, 0, 0, 2), 0)).toMatchObject({ baseOffset: 1, duplicate: true });
    await expect(log.append(producerBatch(7, 0, 3), 0)).rejects.toMatchObject({ code: 'OUT_OF_ORDER_SEQUENCE', kafkaErrorCode: 45 });
    expect(await log.append(producerBatch(7, 0, 2), 0)).toMatchObject({ baseOffset: 3 });
    expect(log.logEndOffset).toBe(4);
    await log.close();
  });

  it('gives a follower the same table as its leader, and forgets truncated batches', async () => {
    const leader = await PartitionLog.open(join(dir, 'leader'));
    const follower = await PartitionLog.open(join(dir, 'follower'));
    for (let sequence = 0; sequence < 4; sequence++) await leader.append(producerBatch(5, 1, sequence), 2);
    await follower.appendAsFollower(Buffer.concat(await leader.readBuffers(0, 1 << 20)));
    expect(follower.producerState.entry(5)).toEqual(leader.producerState.entry(5));
    expect(await follower.append(producerBatch(5, 1, 3), 3)).toMatchObject({ baseOffset: 3, duplicate: true });
    await follower.truncateTo(2);
    expect(follower.producerState.entry(5)?.batches.map((batch) => batch.lastSequence)).toEqual([0, 1]);
    expect(await follower.append(producerBatch(5, 1, 2), 3)).toMatchObject({ baseOffset: 2 });
    await leader.close();
    await follower.close();
  });
});
