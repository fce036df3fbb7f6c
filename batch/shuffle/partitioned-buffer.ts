/**
 * The in-memory side of the external sorter: records buffered per reduce partition, with a running
 * estimate of their heap size so the owner knows when to spill. With an aggregator, values are
 * combined as they arrive in one value-keyed map per partition (map-side combine); without, they
 * are appended to one array per partition.
 *
 * A combiner's size is re-estimated when its update count reaches a power of two and extrapolated
 * in between at the growth per update last measured (Spark's SizeTracker idea per entry): a sum stays
 * cheap and constant, a growing group is tracked closely, and no update re-walks a large combiner.
 */
import type { Aggregator } from './aggregator.js';
import { canonicalKey, KeyedMap } from './canonical-key.js';
import { RECORD_OVERHEAD_BYTES } from './limits.js';
import { estimateSizeBytes } from './size-estimate.js';

/** A record on its way through sorting and merging; `sortKey` is its canonical key when records are
 * aggregated (equal keys ⇔ equal sortKeys), else ''. */
export interface SortItem<K, C> {
  key: K;
  value: C;
  sortKey: string;
}

interface CombinerEntry<K, C> {
  readonly key: K;
  readonly partition: number;
  combiner: C;
  sizeBytes: number;
  measuredBytes: number;
  updates: number;
  measuredAtUpdate: number;
  bytesPerUpdate: number;
}

export class PartitionedBuffer<K, V, C> {
  /** With an aggregator: every buffered key, whatever its partition — one lookup per record, and
   * the partitioner is asked only for keys not seen yet (insertKeyed). */
  private readonly combined = new KeyedMap<K, CombinerEntry<K, C>>();
  /** `combined` split by partition, rebuilt when keys were added since. */
  private buckets: CombinerEntry<K, C>[][] | undefined;
  private readonly appended: [K, V][][] = [];
  private estimatedBytesTotal = 0;
  private recordCountTotal = 0;

  constructor(
    readonly numPartitions: number,
    private readonly aggregator: Aggregator<V, C> | undefined,
  ) {
    if (aggregator === undefined) for (let partition = 0; partition < numPartitions; partition += 1) this.appended.push([]);
  }

  /** Estimated heap bytes of everything buffered. */
  get estimatedBytes(): number {
    return this.estimatedBytesTotal;
  }

  /** Records (or, with an aggregator, distinct keys) buffered. */
  get recordCount(): number {
    return this.recordCountTotal;
  }

  insert(partition: number, key: K, value: V): void {
    if (this.aggregator === undefined) {
      (this.appended[partition] as [K, V][]).push([key, value]);
      this.estimatedBytesTotal += RECORD_OVERHEAD_BYTES + estimateSizeBytes(key) + estimateSizeBytes(value);
      this.recordCountTotal += 1;
    } else {
      this.combine(key, value, this.aggregator, () => partition);
    }
  }

  /** Like insert, with the partition asked of `partitionOf` only when the key is new (aggregating
   * buffers; without an aggregator every record needs its partition). */
  insertKeyed(key: K, value: V, partitionOf: (key: K) => number): void {
    if (this.aggregator === undefined) this.insert(partitionOf(key), key, value);
    else this.combine(key, value, this.aggregator, partitionOf);
  }

  private combine(key: K, value: V, aggregator: Aggregator<V, C>, partitionOf: (key: K) => number): void {
    const map = this.combined;
    const entry = map.lookup(key);
    if (entry === undefined) {
      const partition = partitionOf(key);
      const combiner = aggregator.createCombiner(value);
      const sizeBytes = estimateSizeBytes(combiner);
      map.insertAtLookup({ key, partition, combiner, sizeBytes, measuredBytes: sizeBytes, updates: 0, measuredAtUpdate: 0, bytesPerUpdate: 0 });
      this.buckets = undefined;
      this.estimatedBytesTotal += RECORD_OVERHEAD_BYTES + estimateSizeBytes(key) + sizeBytes;
      this.recordCountTotal += 1;
      return;
    }
    entry.combiner = aggregator.mergeValue(entry.combiner, value);
    entry.updates += 1;
    let growthBytes = entry.bytesPerUpdate;
    if ((entry.updates & (entry.updates - 1)) === 0) {
      const measuredBytes = estimateSizeBytes(entry.combiner);
      growthBytes = measuredBytes - entry.sizeBytes;
      entry.bytesPerUpdate = Math.max(0, (measuredBytes - entry.measuredBytes) / (entry.updates - entry.measuredAtUpdate));
      entry.measuredBytes = measuredBytes;
      entry.measuredAtUpdate = entry.updates;
    }
    entry.sizeBytes += growthBytes;
    this.estimatedBytesTotal += growthBytes;
  }

  /** The partition's records in arrival order (no aggregator only): cheap, no sort items. */
  recordsOf(partition: number): readonly [K, V][] {
    return this.appended[partition] ?? [];
  }

  /** The partition's records as sort items, sorted by `compare` when given. */
  itemsOf(partition: number, withSortKeys: boolean, compare?: (left: SortItem<K, C>, right: SortItem<K, C>) => number): SortItem<K, C>[] {
    const items: SortItem<K, C>[] = [];
    if (this.aggregator !== undefined) {
      for (const entry of this.bucketsOf()[partition] ?? []) items.push({ key: entry.key, value: entry.combiner, sortKey: canonicalKey(entry.key) });
    } else {
      // Without an aggregator C is V: the values are the combiners.
      for (const [key, value] of this.recordsOf(partition)) {
        items.push({ key, value: value as unknown as C, sortKey: withSortKeys ? canonicalKey(key) : '' });
      }
    }
    if (compare !== undefined) items.sort(compare);
    return items;
  }

  private bucketsOf(): CombinerEntry<K, C>[][] {
    if (this.buckets !== undefined) return this.buckets;
    const buckets: CombinerEntry<K, C>[][] = Array.from({ length: this.numPartitions }, () => []);
    for (const entry of this.combined.values()) (buckets[entry.partition] as CombinerEntry<K, C>[]).push(entry);
    this.buckets = buckets;
    return buckets;
  }

  clear(): void {
    this.combined.clear();
    this.buckets = undefined;
    for (let partition = 0; partition < this.appended.length; partition += 1) this.appended[partition] = [];
    this.estimatedBytesTotal = 0;
    this.recordCountTotal = 0;
  }
}
