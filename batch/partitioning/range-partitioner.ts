/**
 * Spark's RangePartitioner: keys are cut into contiguous ranges by sorted boundaries, so that
 * sortByKey can sort each partition on its own and concatenate the partitions in order.
 *
 * Partition of a key (ascending) = the number of boundaries strictly below it (binary search), so a
 * key equal to boundary i lands in partition i; descending mirrors that. Guarantees: for keys a ≤ b
 * under the ordering, partition(a) ≤ partition(b) (≥ when descending); the result depends only on
 * the key's value, the boundaries and the ordering.
 *
 * Boundaries come from a sample of the keys (fromSample): sorted, then one taken every
 * sample.length / numPartitions keys, skipping a candidate not greater than the previous one
 * (Spark's determineBounds with unit weights). Duplicates in the sample can leave fewer
 * boundaries, and then fewer partitions, than asked for — as in Spark, a skewed key cannot be
 * split, and an empty sample gives one partition.
 */
import { InvalidBoundariesError } from './errors.js';
import { MAX_RANGE_SAMPLE_KEYS } from './limits.js';
import { checkPartitionCount } from './check-partition-count.js';
import { defaultOrdering, sortKeys, type Ordering } from './ordering.js';
import type { Partitioner } from './partitioner.js';

/** Sorted, deduplicated boundaries cutting `sample` into `numPartitions` ranges of equal weight. */
export function determineBoundaries<K>(sample: readonly K[], numPartitions: number, ordering: Ordering<K>): K[] {
  if (sample.length > MAX_RANGE_SAMPLE_KEYS) {
    throw new InvalidBoundariesError(`a sample of ${sample.length} keys is larger than ${MAX_RANGE_SAMPLE_KEYS}; sample fewer keys`);
  }
  const sorted = sortKeys(sample, ordering);
  const step = sorted.length / numPartitions;
  const boundaries: K[] = [];
  let target = step;
  let seen = 0;
  for (const key of sorted) {
    if (boundaries.length >= numPartitions - 1) break;
    seen += 1;
    if (seen < target) continue;
    const previous = boundaries[boundaries.length - 1];
    if (boundaries.length === 0 || ordering(key, previous as K) > 0) {
      boundaries.push(key);
      target += step;
    }
  }
  return boundaries;
}

export class RangePartitioner<K = unknown> implements Partitioner {
  private readonly boundaries: readonly K[];

  /**
   * `sortedBoundaries` must be strictly increasing under `ordering` and fewer than
   * `numPartitions`; partitions past boundaries.length stay empty.
   */
  constructor(
    readonly numPartitions: number,
    sortedBoundaries: readonly K[],
    readonly ordering: Ordering<K> = defaultOrdering,
    readonly ascending = true,
  ) {
    checkPartitionCount('RangePartitioner', numPartitions);
    if (sortedBoundaries.length >= numPartitions) {
      throw new InvalidBoundariesError(`${sortedBoundaries.length} boundaries make ${sortedBoundaries.length + 1} partitions, more than numPartitions ${numPartitions}`);
    }
    for (let index = 1; index < sortedBoundaries.length; index++) {
      if (ordering(sortedBoundaries[index - 1] as K, sortedBoundaries[index] as K) >= 0) {
        throw new InvalidBoundariesError(`boundary ${index} is not greater than boundary ${index - 1}`);
      }
    }
    this.boundaries = Object.freeze([...sortedBoundaries]);
  }

  /** A partitioner whose ranges hold about equally many of the sampled keys (see the header);
   * numPartitions of the result is boundaries + 1, at most the number asked for. */
  static fromSample<K>(sample: readonly K[], numPartitions: number, ordering: Ordering<K> = defaultOrdering, ascending = true): RangePartitioner<K> {
    checkPartitionCount('RangePartitioner', numPartitions);
    const boundaries = determineBoundaries(sample, numPartitions, ordering);
    return new RangePartitioner(boundaries.length + 1, boundaries, ordering, ascending);
  }

  get sortedBoundaries(): readonly K[] {
    return this.boundaries;
  }

  getPartition(key: unknown): number {
    const below = this.countBoundariesBelow(key as K);
    return this.ascending ? below : this.boundaries.length - below;
  }

  /** Binary search: the first boundary ≥ key, i.e. the number of boundaries < key. */
  private countBoundariesBelow(key: K): number {
    let low = 0;
    let high = this.boundaries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.ordering(this.boundaries[middle] as K, key) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Same class, count, direction, ordering function and boundaries (equal under the ordering). */
  equals(other: Partitioner): boolean {
    if (!(other instanceof RangePartitioner)) return false;
    const that = other as RangePartitioner<K>;
    if (that.numPartitions !== this.numPartitions || that.ascending !== this.ascending || that.ordering !== this.ordering) return false;
    if (that.boundaries.length !== this.boundaries.length) return false;
    return this.boundaries.every((boundary, index) => this.ordering(boundary, that.boundaries[index] as K) === 0);
  }

  describe(): string {
    return `RangePartitioner(${this.numPartitions}, ${this.ascending ? 'ascending' : 'descending'}, ${this.boundaries.length} boundaries)`;
  }
}
