/**
 * Spill runs: a temp file of frames holding, for each partition in order, one segment of records
 * (sorted when the owner sorts). The run's segment table stays in memory — spill files are private
 * to the process that wrote them and never outlive it.
 *
 * Guarantees: a run is complete or absent (a failed write deletes its file); reading a segment
 * yields exactly its records, one frame in memory at a time; any failure to read back a spill is a
 * SpillReadFailedError naming the file.
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalKey } from './canonical-key.js';
import { ShuffleError, SpillReadFailedError } from './errors.js';
import { FrameFileWriter, readFrames } from './frame-file.js';
import type { SortItem } from './partitioned-buffer.js';
import type { ShuffleRecord } from './record-frames.js';

export interface RunSegment {
  readonly startBytes: number;
  readonly endBytes: number;
  readonly records: number;
}

export interface SpillRun {
  readonly path: string;
  /** One per partition, in partition order. */
  readonly segments: readonly RunSegment[];
  /** 0 for a spill of memory; n + 1 for a merge of runs of level n. */
  readonly level: number;
}

export function spillPath(directory: string, prefix: string): string {
  return join(directory, `${prefix}-${randomUUID()}.spill`);
}

/** Writes `recordsOf(p)` for every partition p into a new run file. */
export function writeSpillRun(
  path: string,
  level: number,
  numPartitions: number,
  recordsOf: (partition: number) => Iterable<{ readonly key: unknown; readonly value: unknown }>,
  maxRecordBytes: number,
): SpillRun {
  const writer = new FrameFileWriter(path, maxRecordBytes);
  try {
    const segments: RunSegment[] = [];
    for (let partition = 0; partition < numPartitions; partition += 1) {
      const startBytes = writer.positionBytes;
      let records = 0;
      for (const { key, value } of recordsOf(partition)) {
        writer.append(key, value);
        records += 1;
      }
      writer.flush();
      segments.push({ startBytes, endBytes: writer.positionBytes, records });
    }
    writer.close();
    return { path, segments, level };
  } catch (error) {
    writer.close();
    rmSync(path, { force: true });
    throw error;
  }
}

/** The records of one partition of a run. */
export function* readRunRecords(run: SpillRun, partition: number): Generator<ShuffleRecord> {
  const segment = run.segments[partition];
  if (segment === undefined) return;
  const frames = readFrames(run.path, segment.startBytes, segment.endBytes);
  try {
    for (;;) {
      let next: IteratorResult<ShuffleRecord[]>;
      try {
        next = frames.next();
      } catch (error) {
        throw error instanceof ShuffleError && error.code !== 'CORRUPT_FRAME' ? error : new SpillReadFailedError(run.path, error);
      }
      if (next.done === true) return;
      yield* next.value;
    }
  } finally {
    frames.return(undefined);
  }
}

/** The records of one partition of a run as sort items (with canonical sort keys if asked). */
export function* readRunItems<K, C>(run: SpillRun, partition: number, withSortKeys: boolean): Generator<SortItem<K, C>> {
  for (const [key, value] of readRunRecords(run, partition)) {
    yield { key: key as K, value: value as C, sortKey: withSortKeys ? canonicalKey(key) : '' };
  }
}

export function deleteRun(run: SpillRun): void {
  rmSync(run.path, { force: true });
}
