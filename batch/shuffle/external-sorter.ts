/**
 * The external sorter (Spark's ExternalSorter): buffers records per reduce partition under a memory
 * budget, combining them when given an aggregator, and spills a run to disk whenever the estimated
 * size of the buffer reaches the budget. At the end it yields each partition as the merge of its
 * spilled segments and what is still in memory. Used by the map side (one partition per reducer)
 * and the reduce side (a single partition).
 *
 * Order of a partition's records:
 *  - aggregator: one record per key; runs are sorted by (keyOrdering, canonical key) and equal keys
 *    meet in the merge, where their combiners are merged. With keyOrdering the output is in that order.
 *  - keyOrdering only: sorted by keyOrdering, stable (equal keys keep arrival order).
 *  - neither: arrival order per run; runs are concatenated without decoding.
 * Memory stays bounded: at most memoryLimitBytes (estimated) buffered, and merges open at most
 * MERGE_FAN_IN runs at a time — runs are merged level by level (MERGE_FAN_IN runs of level n make one
 * of level n + 1) so each record is rewritten O(log_fanIn(runs)) times. `close()` deletes every spill.
 */
import type { Aggregator, KeyOrdering } from './aggregator.js';
import type { FrameFileWriter } from './frame-file.js';
import { MERGE_FAN_IN } from './limits.js';
import { PartitionedBuffer, type SortItem } from './partitioned-buffer.js';
import { combineAdjacent, mergeSorted } from './sorted-merge.js';
import { deleteRun, readRunItems, readRunRecords, spillPath, writeSpillRun, type SpillRun } from './spill-run.js';

export interface ExternalSorterOptions<K, V, C> {
  readonly directory: string;
  /** Spill files are named `<spillPrefix>-<uuid>.spill` in `directory`. */
  readonly spillPrefix: string;
  readonly numPartitions: number;
  readonly aggregator?: Aggregator<V, C>;
  readonly keyOrdering?: KeyOrdering<K>;
  readonly memoryLimitBytes: number;
  readonly maxRecordBytes: number;
}

export interface ExternalSorterStats {
  /** Runs spilled from memory. */
  spillCount: number;
  /** Merges of runs into bigger runs (not counting the final merge). */
  runMergeCount: number;
  /** Bytes written to spill files, merges included. */
  spilledBytes: number;
  /** Largest estimated size the in-memory buffer reached. */
  peakEstimatedBytes: number;
}

type ItemCompare<K, C> = (left: SortItem<K, C>, right: SortItem<K, C>) => number;

export class ExternalSorter<K, V, C> {
  readonly stats: ExternalSorterStats = { spillCount: 0, runMergeCount: 0, spilledBytes: 0, peakEstimatedBytes: 0 };
  private readonly buffer: PartitionedBuffer<K, V, C>;
  private runs: SpillRun[] = [];
  private readonly compare: ItemCompare<K, C> | undefined;
  private readonly withSortKeys: boolean;
  private finalMergePrepared = false;

  constructor(private readonly options: ExternalSorterOptions<K, V, C>) {
    this.buffer = new PartitionedBuffer(options.numPartitions, options.aggregator);
    this.withSortKeys = options.aggregator !== undefined;
    this.compare = itemOrder(options.aggregator !== undefined, options.keyOrdering);
  }

  insert(partition: number, key: K, value: V): void {
    this.buffer.insert(partition, key, value);
    if (this.buffer.estimatedBytes >= this.options.memoryLimitBytes) this.spill();
  }

  /** insert, asking `partitionOf` for the partition only when the buffer needs it (a new key). */
  insertKeyed(key: K, value: V, partitionOf: (key: K) => number): void {
    this.buffer.insertKeyed(key, value, partitionOf);
    if (this.buffer.estimatedBytes >= this.options.memoryLimitBytes) this.spill();
  }

  /** The partition's final records: spilled segments merged with memory (see the module comment). */
  *partitionItems(partition: number): Generator<SortItem<K, C>> {
    if (this.compare === undefined) {
      for (const run of this.runs) {
        for (const [key, value] of readRunRecords(run, partition)) yield { key: key as K, value: value as C, sortKey: '' };
      }
      yield* this.buffer.itemsOf(partition, false);
      return;
    }
    this.prepareFinalMerge();
    yield* this.mergedItems(this.runs, partition, this.buffer.itemsOf(partition, this.withSortKeys, this.compare));
  }

  /** Writes the partition's final records to `out`; returns how many. Unsorted spilled segments are
   * copied byte for byte. */
  writePartition(partition: number, out: FrameFileWriter): number {
    let records = 0;
    if (this.compare === undefined) {
      for (const run of this.runs) {
        const segment = run.segments[partition];
        if (segment === undefined) continue;
        out.copyRange(run.path, segment.startBytes, segment.endBytes);
        records += segment.records;
      }
      for (const [key, value] of this.buffer.recordsOf(partition)) {
        out.append(key, value);
        records += 1;
      }
    } else {
      for (const item of this.partitionItems(partition)) {
        out.append(item.key, item.value);
        records += 1;
      }
    }
    out.flush();
    return records;
  }

  /** Deletes every spill file. Idempotent. */
  close(): void {
    for (const run of this.runs) deleteRun(run);
    this.runs = [];
    this.buffer.clear();
  }

  private spill(): void {
    this.stats.peakEstimatedBytes = Math.max(this.stats.peakEstimatedBytes, this.buffer.estimatedBytes);
    const run = this.writeRun(0, (partition) => this.buffer.itemsOf(partition, this.withSortKeys, this.compare));
    this.buffer.clear();
    this.runs.push(run);
    this.stats.spillCount += 1;
    if (this.compare !== undefined) this.mergeFullLevels();
  }

  /** Keeps the run stack like a counter in base MERGE_FAN_IN: levels never increase towards the top,
   * and MERGE_FAN_IN runs of one level are merged into a run of the next. */
  private mergeFullLevels(): void {
    for (;;) {
      const top = this.runs.slice(-MERGE_FAN_IN);
      const level = top[0]?.level;
      if (top.length < MERGE_FAN_IN || top.some((run) => run.level !== level)) return;
      this.replaceTopRuns(MERGE_FAN_IN, (level ?? 0) + 1);
    }
  }

  /** Leaves at most MERGE_FAN_IN - 1 runs, so they and memory merge in one pass. */
  private prepareFinalMerge(): void {
    if (this.finalMergePrepared) return;
    this.finalMergePrepared = true;
    while (this.runs.length > MERGE_FAN_IN - 1) {
      const count = Math.min(MERGE_FAN_IN, this.runs.length - (MERGE_FAN_IN - 2));
      const merged = this.runs.slice(-count);
      this.replaceTopRuns(count, Math.max(...merged.map((run) => run.level)) + 1);
    }
  }

  private replaceTopRuns(count: number, level: number): void {
    const merging = this.runs.slice(-count);
    const merged = this.writeRun(level, (partition) => this.mergedItems(merging, partition, []));
    for (const run of merging) deleteRun(run);
    this.runs = [...this.runs.slice(0, -count), merged];
    this.stats.runMergeCount += 1;
  }

  private mergedItems(runs: readonly SpillRun[], partition: number, memoryItems: SortItem<K, C>[]): Iterable<SortItem<K, C>> {
    const compare = this.compare as ItemCompare<K, C>;
    const sources = runs.map((run) => readRunItems<K, C>(run, partition, this.withSortKeys));
    const merged = mergeSorted<SortItem<K, C>>([...sources, memoryItems[Symbol.iterator]()], compare);
    const aggregator = this.options.aggregator;
    if (aggregator === undefined) return merged;
    return combineAdjacent(
      merged,
      (left, right) => left.sortKey === right.sortKey,
      (left, right) => {
        left.value = aggregator.mergeCombiners(left.value, right.value);
        return left;
      },
    );
  }

  private writeRun(level: number, itemsOf: (partition: number) => Iterable<SortItem<K, C>>): SpillRun {
    const path = spillPath(this.options.directory, this.options.spillPrefix);
    const run = writeSpillRun(path, level, this.options.numPartitions, itemsOf, this.options.maxRecordBytes);
    this.stats.spilledBytes += run.segments.at(-1)?.endBytes ?? 0;
    return run;
  }
}

function compareStrings(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

/** The order runs are sorted in, or undefined when records need no order (see the module comment). */
function itemOrder<K, C>(aggregated: boolean, keyOrdering: KeyOrdering<K> | undefined): ItemCompare<K, C> | undefined {
  if (aggregated) {
    if (keyOrdering === undefined) return (left, right) => compareStrings(left.sortKey, right.sortKey);
    return (left, right) => keyOrdering(left.key, right.key) || compareStrings(left.sortKey, right.sortKey);
  }
  if (keyOrdering === undefined) return undefined;
  return (left, right) => keyOrdering(left.key, right.key);
}
