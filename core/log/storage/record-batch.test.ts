import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createRequire } from 'node:module';
import { CorruptRecordBatchError } from './errors.js';
import { assignOffsets, BATCH_FIELD, iterateBatches, readBatchHeader, stampLogAppendTime, validateBatch } from './record-batch.js';
import { batchOf, decodeValues, encodeBatch } from './test-batches.js';

function corruptionOf(parse: () => unknown): CorruptRecordBatchError {
  try {
    parse();
  } catch (error) {
    if (error instanceof CorruptRecordBatchError) return error;
    throw error;
  }
  throw new Error('expected a CorruptRecordBatchError');
}

describe('record batch v2', () => {
  it('parses the header of a hand-built batch', () => {
    const batch = batchOf(['a', 'bb', 'ccc'], { baseOffset: 42, baseTimestamp: 1000, partitionLeaderEpoch: 7, producerId: 9 });
    const header = validateBatch(batch, 0);
    expect(header).toMatchObject({
      baseOffset: 42,
      sizeBytes: batch.length,
      partitionLeaderEpoch: 7,
      magic: 2,
      attributes: 0,
      lastOffsetDelta: 2,
      baseTimestamp: 1000,
      maxTimestamp: 1002,
      producerId: 9,
      recordsCount: 3,
      lastOffset: 44,
    });
    expect(decodeValues(batch)).toEqual(['a', 'bb', 'ccc']);
  });

  it('parses batches encoded by kafkajs', async () => {
    const require = createRequire(import.meta.url);
    const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js') as { RecordBatch: (options: object) => Promise<{ buffer: Buffer }> };
    const Record = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as (options: object) => unknown;
    const records = ['x', 'y'].map((value, offsetDelta) => Record({ offsetDelta, key: Buffer.from('k'), value: Buffer.from(value) }));
    const { buffer } = await RecordBatch({ records, lastOffsetDelta: 1, firstTimestamp: 5, maxTimestamp: 6 });
    const header = validateBatch(buffer, 0);
    expect(header).toMatchObject({ magic: 2, recordsCount: 2, lastOffsetDelta: 1, maxTimestamp: 6, sizeBytes: buffer.length });
    expect(decodeValues(buffer)).toEqual(['x', 'y']);
  });

  it('rejects any flipped byte covered by the CRC, and bad magic or length', () => {
    const batch = batchOf(['hello', 'world']);
    fc.assert(
      fc.property(fc.integer({ min: BATCH_FIELD.attributes, max: batch.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, flip) => {
        const copy = Buffer.from(batch);
        copy[at]! ^= flip;
        const error = corruptionOf(() => validateBatch(copy, 0));
        expect(error.code).toBe('BATCH_BAD_CRC');
        expect(error.offset).toBe(0);
      }),
    );
    const badMagic = Buffer.from(batch);
    badMagic[BATCH_FIELD.magic] = 1;
    expect(corruptionOf(() => validateBatch(badMagic, 0)).code).toBe('BATCH_BAD_MAGIC');
    const badLength = Buffer.from(batch);
    badLength.writeInt32BE(10, BATCH_FIELD.batchLength);
    expect(corruptionOf(() => validateBatch(badLength, 0)).code).toBe('BATCH_BAD_LENGTH');
  });

  it('reports a short buffer as truncated at the batch position', () => {
    const two = Buffer.concat([batchOf(['a']), batchOf(['b'])]);
    const cut = two.subarray(0, two.length - 3);
    const error = corruptionOf(() => [...iterateBatches(cut)]);
    expect(error.code).toBe('BATCH_TRUNCATED');
    expect(error.offset).toBe(batchOf(['a']).length);
    expect(corruptionOf(() => readBatchHeader(Buffer.alloc(20), 0)).code).toBe('BATCH_TRUNCATED');
  });

  it('assigns offsets and leader epoch in place without invalidating the CRC', () => {
    const batch = batchOf(['a', 'b', 'c']);
    assignOffsets(batch, 0, 1_000_000_000_123, 5);
    const header = validateBatch(batch, 0);
    expect(header.baseOffset).toBe(1_000_000_000_123);
    expect(header.lastOffset).toBe(1_000_000_000_125);
    expect(header.partitionLeaderEpoch).toBe(5);
  });

  it('stamps LogAppendTime and recomputes the CRC', () => {
    const batch = batchOf(['a']);
    stampLogAppendTime(batch, 0, readBatchHeader(batch, 0), 123_456);
    const header = validateBatch(batch, 0);
    expect(header.maxTimestamp).toBe(123_456);
    expect(header.attributes & 0x08).toBe(0x08);
  });

  it('iterates the batches of a buffer in order', () => {
    const batches = [batchOf(['a']), encodeBatch([{ key: Buffer.from('k'), value: null }]), batchOf(['b', 'c'])];
    const found = [...iterateBatches(Buffer.concat(batches))];
    expect(found.map((batch) => batch.position)).toEqual([0, batches[0]!.length, batches[0]!.length + batches[1]!.length]);
    expect(found.map((batch) => batch.header.recordsCount)).toEqual([1, 1, 2]);
  });
});
