/**
 * Decompression of record batch v2 bodies, for the few places the broker must look inside a
 * compressed batch (validating its records on append; readers; later compaction). The log itself
 * stores and serves batches exactly as the producer compressed them.
 *
 * Codecs (attribute bits 0-2), each from an npm package that needs no compiler:
 * - 1 gzip: node:zlib.
 * - 2 snappy: snappyjs (pure JS). Java clients wrap Snappy in xerial's stream framing
 *   (a magic header, then length-prefixed blocks); librdkafka sends one raw block: both are read.
 * - 3 lz4: lz4js (pure JS), the LZ4 frame format Kafka uses since magic 1.
 * - 4 zstd: fzstd (pure JS, decompression only: the broker never compresses).
 *
 * Every codec is bounded by MAX_DECOMPRESSED_BYTES, so a small "zip bomb" batch cannot exhaust
 * memory; any failure is a CompressionError the log turns into CORRUPT_MESSAGE.
 */
import { gunzipSync } from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import { decompress as lz4Decompress, decompressBound as lz4DecompressBound } from 'lz4js';
import { uncompress as snappyUncompress } from 'snappyjs';

export const CompressionCodec = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 } as const;
export type CompressionCodecId = (typeof CompressionCodec)[keyof typeof CompressionCodec];

export const COMPRESSION_CODEC_MASK = 0x07;
export const COMPRESSION_NAMES: readonly string[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

/** Largest decompressed body accepted: 64 times Kafka's default message.max.bytes. */
export const MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;

/** xerial snappy-java stream header: 0x82 'SNAPPY' 0x00, then int32 version and int32 compatible version. */
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_BYTES = 16;

export class CompressionError extends Error {
  readonly code = 'BAD_COMPRESSED_DATA';
  constructor(
    readonly codec: number,
    readonly reason: string,
  ) {
    super(`cannot decompress a ${COMPRESSION_NAMES[codec] ?? `codec ${codec}`} record batch body: ${reason}`);
    this.name = 'CompressionError';
  }
}

export function codecOf(attributes: number): number {
  return attributes & COMPRESSION_CODEC_MASK;
}

/** The uncompressed records bytes of a batch body compressed with `codec` (0: returned as is). */
export function decompress(codec: number, body: Buffer, maxBytes = MAX_DECOMPRESSED_BYTES): Buffer {
  if (codec === CompressionCodec.none) return body;
  let output: Uint8Array;
  try {
    output = decompressWith(codec, body, maxBytes);
  } catch (error) {
    if (error instanceof CompressionError) throw error;
    throw new CompressionError(codec, error instanceof Error ? error.message : String(error));
  }
  if (output.length > maxBytes) throw new CompressionError(codec, `decompresses to ${output.length} bytes, more than the limit of ${maxBytes}`);
  return Buffer.from(output.buffer, output.byteOffset, output.length);
}

function decompressWith(codec: number, body: Buffer, maxBytes: number): Uint8Array {
  switch (codec) {
    case CompressionCodec.gzip:
      return gunzipSync(body, { maxOutputLength: maxBytes });
    case CompressionCodec.snappy:
      return snappy(body, maxBytes);
    case CompressionCodec.lz4: {
      checkLz4Blocks(body);
      const bound = lz4DecompressBound(body);
      if (!(bound >= 0 && bound <= maxBytes)) throw new CompressionError(codec, `frame declares ${bound} bytes, more than the limit of ${maxBytes}`);
      return lz4Decompress(body, bound);
    }
    case CompressionCodec.zstd:
      checkZstdFrameSize(body, maxBytes);
      return zstdDecompress(body);
    default:
      throw new CompressionError(codec, 'unknown compression codec');
  }
}

function snappy(body: Buffer, maxBytes: number): Uint8Array {
  if (body.length < XERIAL_HEADER_BYTES || !body.subarray(0, XERIAL_MAGIC.length).equals(XERIAL_MAGIC)) return snappyUncompress(body, maxBytes);
  const blocks: Buffer[] = [];
  let total = 0;
  for (let position = XERIAL_HEADER_BYTES; position < body.length; ) {
    if (position + 4 > body.length) throw new CompressionError(CompressionCodec.snappy, 'xerial block length cut short');
    const length = body.readInt32BE(position);
    position += 4;
    if (length < 0 || position + length > body.length) throw new CompressionError(CompressionCodec.snappy, `xerial block of ${length} bytes overruns the body`);
    const block = Buffer.from(snappyUncompress(body.subarray(position, position + length), maxBytes - total));
    total += block.length;
    blocks.push(block);
    position += length;
  }
  return Buffer.concat(blocks);
}

const LZ4_MAGIC = 0x184d2204;
const LZ4_FLAG = { blockChecksum: 0x10, contentSize: 0x08, dictionaryId: 0x01 } as const;
const LZ4_UNCOMPRESSED_BLOCK = 0x8000_0000;

/**
 * Walks an LZ4 frame's block headers before lz4js sees it: lz4js trusts each block's declared
 * length and would loop over gigabytes of missing input for a forged one.
 */
function checkLz4Blocks(body: Buffer): void {
  const fail = (reason: string): never => {
    throw new CompressionError(CompressionCodec.lz4, reason);
  };
  if (body.length < 7 || body.readUInt32LE(0) !== LZ4_MAGIC) fail('no LZ4 frame magic');
  const flags = body[4]!;
  let position = 7 + ((flags & LZ4_FLAG.contentSize) !== 0 ? 8 : 0) + ((flags & LZ4_FLAG.dictionaryId) !== 0 ? 4 : 0);
  for (;;) {
    if (position + 4 > body.length) fail('frame cut short before its end mark');
    const blockBytes = body.readUInt32LE(position) & ~LZ4_UNCOMPRESSED_BLOCK;
    position += 4;
    if (blockBytes === 0) return;
    position += blockBytes + ((flags & LZ4_FLAG.blockChecksum) !== 0 ? 4 : 0);
    if (position > body.length) fail(`block of ${blockBytes} bytes overruns the frame`);
  }
}

const ZSTD_MAGIC = 0xfd2fb528;

/** fzstd allocates the frame's declared content size (or window) up front: refuse large ones first. */
function checkZstdFrameSize(body: Buffer, maxBytes: number): void {
  if (body.length < 6 || body.readUInt32LE(0) !== ZSTD_MAGIC) throw new CompressionError(CompressionCodec.zstd, 'no zstd frame magic');
  const descriptor = body[4]!;
  const singleSegment = (descriptor >> 5) & 1;
  const contentSizeFlag = descriptor >> 6;
  const dictionaryBytes = [0, 1, 2, 4][descriptor & 3]!;
  let declared = 0;
  if (singleSegment === 0) {
    const windowByte = body[5]!;
    const windowBase = 2 ** (10 + (windowByte >> 3));
    declared = windowBase + (windowBase / 8) * (windowByte & 7);
  }
  const sizeBytes = contentSizeFlag === 0 ? singleSegment : 2 ** contentSizeFlag;
  const sizeAt = 6 - singleSegment + dictionaryBytes;
  if (sizeBytes > 0 && sizeAt + sizeBytes <= body.length) {
    let contentSize = 0;
    for (let i = sizeBytes - 1; i >= 0; i--) contentSize = contentSize * 256 + body[sizeAt + i]!;
    declared = Math.max(declared, contentSize + (contentSizeFlag === 1 ? 256 : 0));
  }
  if (declared > maxBytes) throw new CompressionError(CompressionCodec.zstd, `frame declares ${declared} bytes, more than the limit of ${maxBytes}`);
}
