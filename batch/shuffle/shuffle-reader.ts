/**
 * The reduce side of a shuffle (Spark's BlockStoreShuffleReader): reads one reduce partition's
 * segment from every map output and yields its records —
 *  - with an aggregator: one [key, combiner] per key, merging map outputs' combiners
 *    (mergeCombiners) when they were combined map-side, else building combiners from raw values;
 *  - with keyOrdering: in that key order (an external merge sort);
 *  - with neither: streamed straight from the files, nothing buffered.
 * Aggregation and sorting go through the external sorter, so a partition larger than
 * memoryLimitBytes spills sorted runs and completes with bounded memory.
 *
 * The result is lazy and re-iterable: every iteration reads the files again. A missing, truncated or
 * corrupt map output fails the iteration with ShuffleFetchFailedError (see shuffle-fetch.ts); an
 * iteration that ends early, by break or error, deletes its spill files.
 */
import type { Aggregator, KeyOrdering } from './aggregator.js';
import { ExternalSorter, type ExternalSorterStats } from './external-sorter.js';
import { DEFAULT_MAX_RECORD_BYTES } from './limits.js';
import type { MapStatus } from './map-output.js';
import { checkMaxRecordBytes, checkMemoryLimit, checkPartitionIndex } from './options.js';
import { fetchMapOutputSegment } from './shuffle-fetch.js';

export interface ReadShufflePartitionOptions<K, V, C> {
  /** The MapStatus of every map task of the shuffle. */
  readonly mapOutputs: readonly MapStatus[];
  readonly reducePartition: number;
  readonly aggregator?: Aggregator<V, C>;
  /** Whether the writers combined with the same aggregator (their values are then combiners). */
  readonly mapSideCombined: boolean;
  readonly keyOrdering?: KeyOrdering<K>;
  /** Estimated bytes of buffered records past which a sorted run is spilled. */
  readonly memoryLimitBytes: number;
  /** Where spill files go. */
  readonly directory: string;
  /** Largest serialised record in a spill; default DEFAULT_MAX_RECORD_BYTES. */
  readonly maxRecordBytes?: number;
}

export interface ShuffleReadStats extends ExternalSorterStats {
  /** Records read from map outputs (before reduce-side aggregation). */
  recordsFetched: number;
}

export class ShufflePartitionReader<K, C> implements Iterable<[K, C]> {
  private statsSnapshot: ShuffleReadStats = emptyStats();

  constructor(private readonly options: ReadShufflePartitionOptions<K, unknown, C>) {
    checkMemoryLimit(options.memoryLimitBytes);
    checkMaxRecordBytes(options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES);
    for (const status of options.mapOutputs) checkPartitionIndex('reducePartition', options.reducePartition, status.bytesByPartition.length);
  }

  /** Counters of the last (or running) iteration. */
  get stats(): Readonly<ShuffleReadStats> {
    return this.statsSnapshot;
  }

  [Symbol.iterator](): Iterator<[K, C]> {
    this.statsSnapshot = emptyStats();
    const { aggregator, keyOrdering } = this.options;
    return aggregator === undefined && keyOrdering === undefined ? this.streamed() : this.sorted();
  }

  private *fetched(): Generator<[K, unknown]> {
    for (const status of this.options.mapOutputs) {
      for (const record of fetchMapOutputSegment(status, this.options.reducePartition)) {
        this.statsSnapshot.recordsFetched += 1;
        yield record as [K, unknown];
      }
    }
  }

  private *streamed(): Generator<[K, C]> {
    yield* this.fetched() as Generator<[K, C]>;
  }

  private *sorted(): Generator<[K, C]> {
    const { aggregator, mapSideCombined } = this.options;
    const sorter = new ExternalSorter<K, unknown, C>({
      directory: this.options.directory,
      spillPrefix: `shuffle-read_${this.options.mapOutputs[0]?.shuffleId ?? 'none'}_${this.options.reducePartition}`,
      numPartitions: 1,
      aggregator: aggregator !== undefined && mapSideCombined ? combinersAggregator(aggregator) : aggregator,
      keyOrdering: this.options.keyOrdering,
      memoryLimitBytes: this.options.memoryLimitBytes,
      maxRecordBytes: this.options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES,
    });
    try {
      for (const [key, value] of this.fetched()) sorter.insert(0, key, value);
      for (const item of sorter.partitionItems(0)) yield [item.key, item.value];
    } finally {
      sorter.close();
      this.statsSnapshot = { ...sorter.stats, recordsFetched: this.statsSnapshot.recordsFetched };
    }
  }
}

/** Reads one reduce partition of a shuffle; see ShufflePartitionReader. C is V without an aggregator. */
export function readShufflePartition<K, V, C = V>(options: ReadShufflePartitionOptions<K, V, C>): ShufflePartitionReader<K, C> {
  return new ShufflePartitionReader<K, C>(options as ReadShufflePartitionOptions<K, unknown, C>);
}

/** The aggregator that merges values that are already combiners. */
function combinersAggregator<C>(aggregator: Aggregator<unknown, C>): Aggregator<C, C> {
  return {
    createCombiner: (combiner) => combiner,
    mergeValue: (left, right) => aggregator.mergeCombiners(left, right),
    mergeCombiners: (left, right) => aggregator.mergeCombiners(left, right),
  };
}

function emptyStats(): ShuffleReadStats {
  return { recordsFetched: 0, spillCount: 0, runMergeCount: 0, spilledBytes: 0, peakEstimatedBytes: 0 };
}
