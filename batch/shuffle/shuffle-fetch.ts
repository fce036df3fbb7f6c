/**
 * Fetching one reduce partition's segment of one map output from local disk. Before yielding
 * anything it checks that the index file matches the MapStatus (same number of partitions, same
 * segment lengths) and that the data file is as long as the index says; while reading it checks
 * every frame's checksum, and at the end that the segment held as many records as the status says.
 *
 * Guarantees: every failure to read the map output — missing file, truncated or foreign file,
 * corrupt frame — is a ShuffleFetchFailedError naming the shuffle, the map partition and the file,
 * so the scheduler recomputes that map task. Errors thrown by the consumer while it handles a
 * yielded record pass through unchanged.
 */
import { readFileSync, statSync } from 'node:fs';
import { ShuffleError, ShuffleFetchFailedError, describeCause } from './errors.js';
import { readFrames } from './frame-file.js';
import { decodeIndex, type MapStatus } from './map-output.js';
import type { ShuffleRecord } from './record-frames.js';

export function* fetchMapOutputSegment(status: MapStatus, reducePartition: number): Generator<ShuffleRecord> {
  const { startBytes, endBytes } = locateSegment(status, reducePartition);
  const expectedRecords = status.recordsByPartition[reducePartition] ?? 0;
  const frames = readFrames(status.dataPath, startBytes, endBytes);
  let records = 0;
  try {
    for (;;) {
      const next = fetchStep(status, status.dataPath, () => frames.next());
      if (next.done === true) break;
      records += next.value.length;
      yield* next.value;
    }
  } finally {
    frames.return(undefined);
  }
  if (records !== expectedRecords) {
    throw new ShuffleFetchFailedError(status.shuffleId, status.mapPartition, status.dataPath, `segment ${reducePartition} held ${records} records, expected ${expectedRecords}`);
  }
}

function locateSegment(status: MapStatus, reducePartition: number): { startBytes: number; endBytes: number } {
  const numPartitions = status.bytesByPartition.length;
  const offsets = fetchStep(status, status.indexPath, () => decodeIndex(readFileSync(status.indexPath), numPartitions));
  if (typeof offsets === 'string') throw new ShuffleFetchFailedError(status.shuffleId, status.mapPartition, status.indexPath, offsets);
  const startBytes = offsets[reducePartition] ?? 0;
  const endBytes = offsets[reducePartition + 1] ?? 0;
  if (endBytes - startBytes !== status.bytesByPartition[reducePartition]) {
    const reason = `index gives segment ${reducePartition} ${endBytes - startBytes} bytes, the map status ${status.bytesByPartition[reducePartition]}`;
    throw new ShuffleFetchFailedError(status.shuffleId, status.mapPartition, status.indexPath, reason);
  }
  const dataBytes = fetchStep(status, status.dataPath, () => statSync(status.dataPath).size);
  const indexedBytes = offsets[numPartitions] ?? 0;
  if (dataBytes !== indexedBytes) {
    throw new ShuffleFetchFailedError(status.shuffleId, status.mapPartition, status.dataPath, `data file holds ${dataBytes} bytes, the index ${indexedBytes}`);
  }
  return { startBytes, endBytes };
}

/** Runs one I/O step, turning its failure into a ShuffleFetchFailedError about `path`. */
function fetchStep<T>(status: MapStatus, path: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (error instanceof ShuffleError && error.code !== 'CORRUPT_FRAME') throw error;
    throw new ShuffleFetchFailedError(status.shuffleId, status.mapPartition, path, describeCause(error), error);
  }
}
