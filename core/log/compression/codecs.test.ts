import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { decodeBatchRecords } from '../records/record-decoder.js';
import { batchOf } from '../storage/test-batches.js';
import { BATCH_HEADER_BYTES } from '../storage/record-batch.js';
import { CompressionCodec, CompressionError, decompress } from './codecs.js';
import { compressedBatchOf, withCompressedBody, ZSTD_VALUES, type CodecName } from './test-compressed-batches.js';

const CODECS: CodecName[] = ['gzip', 'snappy', 'snappy-xerial', 'lz4', 'zstd'];

describe('compression codecs', () => {
  it.each(CODECS)('decodes the records of a %s batch exactly', (codec) => {
    const batch = compressedBatchOf(codec, ZSTD_VALUES, { baseOffset: 40 });
    expect(batch.length).toBeLessThan(batchOf(ZSTD_VALUES).length);
    expect(decodeBatchRecords(batch).map((record) => [record.offset, record.value?.toString()])).toEqual(ZSTD_VALUES.map((value, i) => [40 + i, value]));
  });

  it('round-trips any records through gzip, snappy and lz4', () => {
    const values = fc.array(fc.string({ maxLength: 300 }), { minLength: 1, maxLength: 20 });
    fc.assert(
      fc.property(values, fc.constantFrom<CodecName>('gzip', 'snappy', 'snappy-xerial', 'lz4'), (strings, codec) => {
        expect(decodeBatchRecords(compressedBatchOf(codec, strings)).map((record) => record.value?.toString())).toEqual(strings);
      }),
      { numRuns: 80 },
    );
  });

  it.each([CompressionCodec.gzip, CompressionCodec.snappy, CompressionCodec.lz4, CompressionCodec.zstd])('rejects garbage for codec %i with a CompressionError', (codec) => {
    expect(() => decompress(codec, Buffer.from('definitely not compressed at all, not even close'))).toThrow(CompressionError);
  });

  it('refuses to inflate past the limit', () => {
    const plain = batchOf(['z'.repeat(100_000)]);
    const gzip = compressedBatchOf('gzip', ['z'.repeat(100_000)]);
    expect(() => decompress(CompressionCodec.gzip, gzip.subarray(BATCH_HEADER_BYTES), 1_000)).toThrow(CompressionError);
    const lz4 = compressedBatchOf('lz4', ['z'.repeat(100_000)]);
    expect(() => decompress(CompressionCodec.lz4, lz4.subarray(BATCH_HEADER_BYTES), 1_000)).toThrow(CompressionError);
    expect(plain.length).toBeGreaterThan(100_000);
  });

  it('rejects an unknown codec id', () => {
    expect(() => decompress(5, Buffer.from('x'))).toThrow(CompressionError);
    expect(() => decodeBatchRecords(withCompressedBody(batchOf(['x']), 6, Buffer.from('x')))).toThrow(CompressionError);
  });
});
