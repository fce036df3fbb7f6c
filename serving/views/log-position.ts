/**
 * Log positions and cut-offs, as the stream and batch layers name them.
 *
 * - A partition is named `<topic>-<partition>` (Kafka's TopicPartition.toString; partitionName).
 * - A position is (partition, offset): offsets are safe integers ≥ 0. It may carry the source's
 *   settled offset of the partition when the delta was sent: every record below it was fully
 *   processed (a log spout's committable offset). Realtime views dedup out-of-order replays with it.
 * - Cut-offs map partition → the last offset a batch version covers; -1 (or an absent partition)
 *   means it covers nothing of that partition.
 * - Realtime views accumulate deltas per bucket of `bucketOffsets` consecutive offsets, so a batch
 *   cut-off must end a bucket: (cutOff + 1) is a multiple of bucketOffsets. alignCutOffs turns
 *   the offsets a batch job could read up to into the largest cut-offs it may use.
 *
 * Cut-off records are plain objects built with Object.fromEntries (own properties only) and read
 * with cutOffOf, so a partition called "__proto__" or "constructor" is an ordinary name.
 */
import { InvalidLogPositionError, UnalignedCutOffError } from './errors.js';
import { MAX_PARTITION_NAME_CHARS, MAX_PARTITIONS_PER_VIEW } from './limits.js';

/** partition → offset. */
export type CutOffs = Readonly<Record<string, number>>;

export interface LogPosition {
  /** `<topic>-<partition>`, see partitionName. */
  partition: string;
  offset: number;
  /** The partition's settled offset at the source when it sent this delta (every record below it
   * fully processed); absent when the source delivers each key's deltas in offset order. */
  settled?: number;
}

/** Kafka's name of a topic partition: `words-0`. */
export function partitionName(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

export function checkPartition(partition: unknown): string {
  if (typeof partition !== 'string' || partition.length === 0 || partition.length > MAX_PARTITION_NAME_CHARS) {
    throw new InvalidLogPositionError('partition', partition, `a name of 1 to ${MAX_PARTITION_NAME_CHARS} characters, like "words-0"`);
  }
  return partition;
}

export function checkOffset(field: string, offset: unknown, minimum = 0): number {
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < minimum) throw new InvalidLogPositionError(field, offset, `a safe integer ≥ ${minimum}`);
  return offset;
}

export function checkPosition(position: LogPosition): LogPosition {
  const checked: LogPosition = { partition: checkPartition(position?.partition), offset: checkOffset('offset', position?.offset) };
  if (position.settled !== undefined) checked.settled = checkOffset('settled offset', position.settled);
  return checked;
}

/** The cut-off of a partition; -1 when the record does not name it. */
export function cutOffOf(cutOffs: CutOffs, partition: string): number {
  return Object.hasOwn(cutOffs, partition) ? cutOffs[partition]! : -1;
}

/** Whether a cut-off ends a bucket (every bucket boundary, and -1, do). */
export function isAligned(cutOff: number, bucketOffsets: number): boolean {
  return (cutOff + 1) % bucketOffsets === 0;
}

/** The largest cut-off that ends a bucket and is at most `lastOffset` (-1 when none is). */
export function alignCutOff(lastOffset: number, bucketOffsets: number): number {
  return Math.floor((lastOffset + 1) / bucketOffsets) * bucketOffsets - 1;
}

/** Cut-offs a batch job may use, from the last offset of each partition it can read. */
export function alignCutOffs(lastOffsets: CutOffs, bucketOffsets: number): CutOffs {
  return Object.fromEntries(Object.entries(lastOffsets).map(([partition, last]) => [partition, alignCutOff(checkOffset(`last offset of ${partition}`, last, -1), bucketOffsets)]));
}

/** Checked cut-offs, sorted by partition; unaligned ones throw UnalignedCutOffError. */
export function checkCutOffs(cutOffs: CutOffs, bucketOffsets: number): CutOffs {
  if (cutOffs === null || typeof cutOffs !== 'object') throw new InvalidLogPositionError('cut-offs', cutOffs, 'an object of partition → last offset covered');
  const entries = Object.entries(cutOffs);
  if (entries.length > MAX_PARTITIONS_PER_VIEW) throw new InvalidLogPositionError('cut-offs', `${entries.length} partitions`, `at most ${MAX_PARTITIONS_PER_VIEW}`);
  for (const [partition, cutOff] of entries) {
    checkPartition(partition);
    checkOffset(`cut-off of ${partition}`, cutOff, -1);
    if (!isAligned(cutOff, bucketOffsets)) throw new UnalignedCutOffError(partition, cutOff, bucketOffsets, alignCutOff(cutOff, bucketOffsets));
  }
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
