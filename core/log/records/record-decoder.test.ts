import { describe, expect, it } from '@jest/globals';
import { CompressionError } from '../compression/codecs.js';
import { decodeBatchRecords } from './record-decoder.js';
import { batchOf } from '../storage/test-batches.js';

describe('record batch decoder', () => {
  it('decodes our test batches exactly', () => {
    const records = decodeBatchRecords(batchOf(['a', 'bb', 'ccc'], { baseOffset: 7, baseTimestamp: 1_000 }));
    expect(records.map((r) => [r.offset, r.timestampMs, r.value?.toString(), r.key])).toEqual([
      [7, 1_000, 'a', null],
      [8, 1_001, 'bb', null],
      [9, 1_002, 'ccc', null],
    ]);
  });

  it('reports a body that is not what its codec says instead of guessing', () => {
    const batch = batchOf(['x']);
    batch.writeInt16BE(batch.readInt16BE(21) | 0x02, 21); // attributes: snappy, body uncompressed
    expect(() => decodeBatchRecords(batch)).toThrow(CompressionError);
  });
});
