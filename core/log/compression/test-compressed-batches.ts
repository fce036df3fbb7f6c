/**
 * Test helper: record batches v2 compressed the way producers compress them, built from the
 * uncompressed test batches (storage/test-batches.ts) by compressing their records section and
 * fixing length, attributes and CRC. zstd has no pure-JS compressor here (the broker only
 * decompresses), so its test batch uses a frame made once with the zstd CLI.
 */
import { gzipSync } from 'node:zlib';
import { compress as lz4Compress } from 'lz4js';
import { compress as snappyCompress } from 'snappyjs';
import { crc32c } from '../storage/crc32c.js';
import { BATCH_FIELD, BATCH_HEADER_BYTES, LOG_OVERHEAD_BYTES } from '../storage/record-batch.js';
import { batchOf, type TestBatchOptions } from '../storage/test-batches.js';
import { CompressionCodec } from './codecs.js';

/** The values whose records ZSTD_FRAME holds (`zstd -c` of batchOf(ZSTD_VALUES)'s records). */
export const ZSTD_VALUES = ['alpha'.repeat(10), 'beta'.repeat(10), 'gamma'.repeat(10)];
const ZSTD_FRAME = Buffer.from(
  '28b52ffd24a17d01003402700000000164616c706861005c0002020150626574610070000404016467616d6d61000300a298e98ef4c22c5e186075a0',
  'hex',
);

export type CodecName = 'gzip' | 'snappy' | 'snappy-xerial' | 'lz4' | 'zstd';

function xerialSnappy(records: Buffer): Buffer {
  const header = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1]);
  const block = Buffer.from(snappyCompress(records));
  const length = Buffer.alloc(4);
  length.writeInt32BE(block.length);
  return Buffer.concat([header, length, block]);
}

function compressRecords(codec: CodecName, records: Buffer): Buffer {
  switch (codec) {
    case 'gzip':
      return gzipSync(records);
    case 'snappy':
      return Buffer.from(snappyCompress(records));
    case 'snappy-xerial':
      return xerialSnappy(records);
    case 'lz4':
      return Buffer.from(lz4Compress(records));
    case 'zstd':
      if (!records.equals(batchOf(ZSTD_VALUES).subarray(BATCH_HEADER_BYTES))) throw new Error('the zstd test batch holds ZSTD_VALUES only');
      return ZSTD_FRAME;
  }
}

const CODEC_IDS: Record<CodecName, number> = { gzip: CompressionCodec.gzip, snappy: CompressionCodec.snappy, 'snappy-xerial': CompressionCodec.snappy, lz4: CompressionCodec.lz4, zstd: CompressionCodec.zstd };

/** Re-wraps `body` (compressed records) in the header of `plain`, with the codec's attribute bits. */
export function withCompressedBody(plain: Buffer, codecId: number, body: Buffer): Buffer {
  const batch = Buffer.concat([plain.subarray(0, BATCH_HEADER_BYTES), body]);
  batch.writeInt32BE(batch.length - LOG_OVERHEAD_BYTES, BATCH_FIELD.batchLength);
  batch.writeInt16BE((plain.readInt16BE(BATCH_FIELD.attributes) & ~0x07) | codecId, BATCH_FIELD.attributes);
  batch.writeUInt32BE(crc32c(batch, BATCH_FIELD.attributes), BATCH_FIELD.crc);
  return batch;
}

/** A valid batch of string values, its records compressed with `codec`. */
export function compressedBatchOf(codec: CodecName, values: string[], options: TestBatchOptions = {}): Buffer {
  const plain = batchOf(values, options);
  return withCompressedBody(plain, CODEC_IDS[codec], compressRecords(codec, plain.subarray(BATCH_HEADER_BYTES)));
}
