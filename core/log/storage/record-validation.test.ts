import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeBatchRecords } from '../records/record-decoder.js';
import { compressedBatchOf, ZSTD_VALUES, type CodecName } from '../compression/test-compressed-batches.js';
import { CorruptRecordBatchError } from './errors.js';
import { PartitionLog } from './partition-log.js';
import { BATCH_FIELD, BATCH_HEADER_BYTES, LOG_OVERHEAD_BYTES } from './record-batch.js';
import { crc32c } from './crc32c.js';
import { batchOf } from './test-batches.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'record-validation-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The batch with its CRC recomputed, so only what lies inside the body is wrong. */
function resealed(batch: Buffer): Buffer {
  batch.writeInt32BE(batch.length - LOG_OVERHEAD_BYTES, BATCH_FIELD.batchLength);
  batch.writeUInt32BE(crc32c(batch, BATCH_FIELD.attributes), BATCH_FIELD.crc);
  return batch;
}

describe('records validation on append', () => {
  it.each<CodecName>(['gzip', 'snappy', 'snappy-xerial', 'lz4', 'zstd'])('stores a %s batch byte for byte as received (bar offset and epoch)', async (codec) => {
    const log = await PartitionLog.open(dir);
    await log.append(batchOf(['first']), 3);
    const sent = compressedBatchOf(codec, ZSTD_VALUES);
    const received = Buffer.from(sent);
    expect(await log.append(sent, 3)).toEqual({ baseOffset: 1, lastOffset: 3, logAppendTime: -1 });
    const [stored] = await log.readBuffers(1, 1 << 20);
    expect(stored!.subarray(BATCH_FIELD.batchLength + 4 + 4)).toEqual(received.subarray(BATCH_FIELD.batchLength + 4 + 4)); // all but baseOffset, epoch
    expect(decodeBatchRecords(stored!).map((record) => [record.offset, record.value?.toString()])).toEqual(ZSTD_VALUES.map((value, i) => [1 + i, value]));
    await log.close();
  });

  it('refuses a compressed body that does not decompress, changing nothing', async () => {
    const log = await PartitionLog.open(dir);
    const batch = compressedBatchOf('lz4', ['a', 'b']);
    batch.fill(0x5a, BATCH_HEADER_BYTES + 7);
    await expect(log.append(resealed(batch), 0)).rejects.toMatchObject({ code: expect.stringMatching(/BATCH_BAD_(COMPRESSION|RECORDS)/), kafkaErrorCode: 2 });
    const gzip = compressedBatchOf('gzip', ['a', 'b']);
    gzip.fill(0, BATCH_HEADER_BYTES + 10);
    await expect(log.append(resealed(gzip), 0)).rejects.toBeInstanceOf(CorruptRecordBatchError);
    expect(log.logEndOffset).toBe(0);
    await log.close();
  });

  it('refuses records whose count or offset deltas disagree with the header', async () => {
    const log = await PartitionLog.open(dir);
    const short = batchOf(['a', 'b', 'c']);
    const cut = resealed(Buffer.from(short.subarray(0, short.length - 4)));
    await expect(log.append(cut, 0)).rejects.toMatchObject({ code: 'BATCH_BAD_RECORDS' });
    const trailing = resealed(Buffer.concat([batchOf(['a']), Buffer.from([0, 0])]));
    await expect(log.append(trailing, 0)).rejects.toMatchObject({ code: 'BATCH_BAD_RECORDS' });
    const misnumbered = batchOf(['a', 'b']);
    misnumbered[BATCH_HEADER_BYTES + 3] = 4; // the first record's offset delta: 2 instead of 0
    await expect(log.append(resealed(misnumbered), 0)).rejects.toMatchObject({ code: 'BATCH_BAD_RECORDS' });
    expect(log.logEndOffset).toBe(0);
    await log.close();
  });
});
