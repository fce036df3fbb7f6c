/**
 * The map side of a shuffle (Spark's SortShuffleWriter): one ShuffleWriter per map task attempt
 * routes each record to its reduce partition with the partitioner, combines values map-side when
 * given an aggregator, spills sorted runs under memoryLimitBytes, and finally merges memory and runs
 * into one data file and one index file (see map-output.ts), returning the MapStatus the scheduler
 * hands to reducers.
 *
 * Guarantees: the output is committed atomically or not at all; spill and temp files are deleted
 * whether the write succeeds or throws; a partitioner answer out of range is an InvalidPartitionError;
 * unserialisable or oversized records fail with typed errors (record-frames.ts). With an aggregator
 * each segment holds one combined record per key; with keyOrdering (and no aggregator) each segment
 * is sorted by it.
 */
import type { Partitioner } from '../partitioning/partitioner.js';
import type { Aggregator, KeyOrdering } from './aggregator.js';
import { InvalidPartitionError, WriterAlreadyUsedError } from './errors.js';
import { ExternalSorter, type ExternalSorterStats } from './external-sorter.js';
import { DEFAULT_MAX_RECORD_BYTES } from './limits.js';
import { commitMapOutput, type MapStatus } from './map-output.js';
import { checkMaxRecordBytes, checkMemoryLimit, checkPartitionCount } from './options.js';

export interface ShuffleWriterOptions<K, V, C> {
  /** Where the data, index and spill files go (local to this executor). */
  readonly directory: string;
  readonly shuffleId: number;
  readonly mapPartition: number;
  readonly partitioner: Partitioner;
  /** Combine values per key map-side (reduceByKey, aggregateByKey...). */
  readonly aggregator?: Aggregator<V, C>;
  /** Sort each segment by key (sortByKey). */
  readonly keyOrdering?: KeyOrdering<K>;
  /** Estimated bytes of buffered records past which a run is spilled (DEFAULT_MEMORY_LIMIT_BYTES is a
   * sensible value). */
  readonly memoryLimitBytes: number;
  /** Largest serialised record; default DEFAULT_MAX_RECORD_BYTES (64 MiB). */
  readonly maxRecordBytes?: number;
}

export interface ShuffleWriterStats extends ExternalSorterStats {
  /** Records read from the input. */
  recordsRead: number;
}

export class ShuffleWriter<K, V, C = V> {
  private written = false;
  private statsSnapshot: ShuffleWriterStats = { recordsRead: 0, spillCount: 0, runMergeCount: 0, spilledBytes: 0, peakEstimatedBytes: 0 };

  constructor(private readonly options: ShuffleWriterOptions<K, V, C>) {
    checkMemoryLimit(options.memoryLimitBytes);
    checkMaxRecordBytes(options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES);
    checkPartitionCount(options.partitioner.numPartitions);
  }

  /** Counters of the last (or running) write. */
  get stats(): Readonly<ShuffleWriterStats> {
    return this.statsSnapshot;
  }

  /** Consumes `records` and commits this map task's output. Call once per writer. */
  write(records: Iterable<readonly [K, V]>): MapStatus {
    return this.writeFrom((emit) => {
      for (const [key, value] of records) emit(key, value);
    });
  }

  /** Like write, with the records pushed: `produce` calls `emit` once per record (no iterator
   * protocol per record, for producers that push). */
  writeFrom(produce: (emit: (key: K, value: V) => void) => void): MapStatus {
    const { directory, shuffleId, mapPartition, partitioner } = this.options;
    if (this.written) throw new WriterAlreadyUsedError(shuffleId, mapPartition);
    this.written = true;
    const maxRecordBytes = this.options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
    const numPartitions = partitioner.numPartitions;
    const sorter = new ExternalSorter<K, V, C>({
      directory,
      spillPrefix: `shuffle_${shuffleId}_${mapPartition}`,
      numPartitions,
      aggregator: this.options.aggregator,
      keyOrdering: this.options.keyOrdering,
      memoryLimitBytes: this.options.memoryLimitBytes,
      maxRecordBytes,
    });
    this.statsSnapshot = { ...sorter.stats, recordsRead: 0 };
    const partitionOf = (key: K): number => {
      const partition = partitioner.getPartition(key);
      if (!(partition >= 0 && partition < numPartitions && Number.isInteger(partition))) {
        throw new InvalidPartitionError(partition, numPartitions, partitioner.describe());
      }
      return partition;
    };
    const stats = this.statsSnapshot;
    try {
      produce((key, value) => {
        sorter.insertKeyed(key, value, partitionOf);
        stats.recordsRead += 1;
      });
      return commitMapOutput({ directory, shuffleId, mapPartition, numPartitions, maxRecordBytes, writePartition: (partition, out) => sorter.writePartition(partition, out) });
    } finally {
      sorter.close();
      this.statsSnapshot = { ...sorter.stats, recordsRead: this.statsSnapshot.recordsRead };
    }
  }
}

