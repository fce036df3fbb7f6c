/**
 * The output of one map task (Spark's IndexShuffleBlockResolver): ONE data file holding a segment
 * per reduce partition, in partition order, and ONE index file of numPartitions + 1 big-endian int64
 * byte offsets, so reduce partition p is bytes [offset[p], offset[p + 1]) of the data file.
 *
 *   shuffle_<shuffleId>_<mapPartition>.data    segments of frames (see record-frames.ts)
 *   shuffle_<shuffleId>_<mapPartition>.index   (numPartitions + 1) × int64 BE, offset[0] = 0
 *
 * Both are written under unique temp names and renamed into place, data first, so a reader never
 * sees a half-written file and a retried task atomically replaces an earlier attempt's output.
 * MapStatus, which the scheduler keeps, repeats each segment's length and record count, so a reader
 * detects an index or data file that does not belong to the status it was given.
 */
import { randomUUID } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FrameFileWriter } from './frame-file.js';
import { INDEX_ENTRY_BYTES } from './limits.js';

export interface MapStatus {
  readonly shuffleId: number;
  readonly mapPartition: number;
  readonly dataPath: string;
  readonly indexPath: string;
  /** Bytes of each reduce partition's segment of the data file. */
  readonly bytesByPartition: readonly number[];
  /** Records in each reduce partition's segment (after map-side combine). */
  readonly recordsByPartition: readonly number[];
}

export function mapOutputPaths(directory: string, shuffleId: number, mapPartition: number): { dataPath: string; indexPath: string } {
  const base = join(directory, `shuffle_${shuffleId}_${mapPartition}`);
  return { dataPath: `${base}.data`, indexPath: `${base}.index` };
}

export interface CommitMapOutputOptions {
  readonly directory: string;
  readonly shuffleId: number;
  readonly mapPartition: number;
  readonly numPartitions: number;
  readonly maxRecordBytes: number;
  /** Appends partition p's records to `out` and returns how many it appended. */
  readonly writePartition: (partition: number, out: FrameFileWriter) => number;
}

/** Writes the data and index files of one map task atomically and describes them. */
export function commitMapOutput(options: CommitMapOutputOptions): MapStatus {
  const { dataPath, indexPath } = mapOutputPaths(options.directory, options.shuffleId, options.mapPartition);
  const tempSuffix = `.tmp-${randomUUID()}`;
  const dataTempPath = dataPath + tempSuffix;
  const indexTempPath = indexPath + tempSuffix;
  const out = new FrameFileWriter(dataTempPath, options.maxRecordBytes);
  try {
    const bytesByPartition: number[] = [];
    const recordsByPartition: number[] = [];
    for (let partition = 0; partition < options.numPartitions; partition += 1) {
      const startBytes = out.positionBytes;
      recordsByPartition.push(options.writePartition(partition, out));
      out.flush();
      bytesByPartition.push(out.positionBytes - startBytes);
    }
    out.close();
    writeFileSync(indexTempPath, encodeIndex(bytesByPartition));
    renameSync(dataTempPath, dataPath);
    renameSync(indexTempPath, indexPath);
    return { shuffleId: options.shuffleId, mapPartition: options.mapPartition, dataPath, indexPath, bytesByPartition, recordsByPartition };
  } catch (error) {
    out.close();
    rmSync(dataTempPath, { force: true });
    rmSync(indexTempPath, { force: true });
    throw error;
  }
}

/** The index file bytes for segments of the given lengths. */
export function encodeIndex(bytesByPartition: readonly number[]): Buffer {
  const index = Buffer.alloc((bytesByPartition.length + 1) * INDEX_ENTRY_BYTES);
  let offset = 0;
  bytesByPartition.forEach((bytes, partition) => {
    offset += bytes;
    index.writeBigInt64BE(BigInt(offset), (partition + 1) * INDEX_ENTRY_BYTES);
  });
  return index;
}

/** The offsets of an index file, or a reason why it is not a valid index of `numPartitions`. */
export function decodeIndex(index: Buffer, numPartitions: number): number[] | string {
  if (index.length !== (numPartitions + 1) * INDEX_ENTRY_BYTES) {
    return `index holds ${index.length} bytes, expected ${(numPartitions + 1) * INDEX_ENTRY_BYTES} for ${numPartitions} partitions`;
  }
  const offsets: number[] = [];
  for (let entry = 0; entry <= numPartitions; entry += 1) {
    const offset = Number(index.readBigInt64BE(entry * INDEX_ENTRY_BYTES));
    const previous = offsets.at(-1) ?? 0;
    if (offset < previous || (entry === 0 && offset !== 0)) return `index offset ${entry} (${offset}) is out of order`;
    offsets.push(offset);
  }
  return offsets;
}
