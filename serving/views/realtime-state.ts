/**
 * The realtime record of one view key: per log partition, the deltas applied since the batch
 * cut-offs, accumulated per bucket of `bucketOffsets` consecutive offsets. Pure: no I/O.
 *
 * Why buckets and not one accumulated value per partition: the batch layer chooses its cut-off
 * long after the realtime layer has applied deltas beyond it (a job snapshots the log, then runs
 * for minutes). One accumulator since the previous cut-off would then mix deltas at or below the
 * new cut-off (already counted by the batch) with deltas above it (not counted), and a monoid
 * cannot subtract. Bucket boundaries are fixed in advance, so a cut-off that ends a bucket
 * (log-position.ts) splits the record exactly: buckets at or below it are in the batch, buckets
 * above it are not.
 *
 * Per partition the record keeps:
 * - lastOffset: the highest offset applied (or skipped as covered by the batch).
 * - floor and above, the dedup marks: every offset at or below `floor` is applied, covered, or not
 *   of this key; `above` is the exact ascending set of offsets applied (or covered) in
 *   (floor, lastOffset]. A delta at or below the floor or in `above` is a duplicate (a replay) and
 *   changes nothing. The floor rises with the delta's `settled` offset — its source's word that
 *   every record of the partition below it was fully processed, so (a completed tuple tree having
 *   written all its deltas) is in this record — and `above` is pruned to what stays above it. So
 *   deltas may arrive in any order: a replay that lands after later offsets of its key (a worker
 *   died holding it while the spout lived on) is applied, not mistaken for a duplicate. A delta
 *   without `settled` asserts the old precondition instead — its key and partition are delivered in
 *   offset order, a failed delta retried before any later one — and raises the floor to its own
 *   offset; with only such deltas floor = lastOffset and `above` stays empty, as before floors.
 *   `above` is bounded by MAX_UNSETTLED_OFFSETS_PER_PARTITION (a source whose settled offset
 *   stops moving would otherwise grow the record without end).
 * - prunedThrough: deltas at or below it may have been dropped (bound given by the caller: every
 *   batch version a reader may still use covers them). A reader whose cut-off is below it is
 *   reading a retired version and must start over (fold reports `stale`).
 * - buckets: index → combined value of the deltas in [index·B, (index+1)·B − 1]; zero buckets are
 *   not kept.
 */
import type { Entry } from '../keyspace/keyspace.js';
import type { ViewDefinition } from './catalog.js';
import { CorruptViewRecordError, InvalidLogPositionError, RealtimeBacklogError, UnalignedCutOffError, UnsettledOffsetsBacklogError, ViewError, ViewValueTooLargeError } from './errors.js';
import { MAX_ENCODED_VALUE_BYTES, MAX_PARTITIONS_PER_VIEW, MAX_REALTIME_BUCKETS_PER_PARTITION, MAX_REALTIME_RECORD_BYTES, MAX_UNSETTLED_OFFSETS_PER_PARTITION } from './limits.js';
import { alignCutOff, cutOffOf, type CutOffs } from './log-position.js';
import { decodeOffsetsAbove, encodeOffsetsAbove, hasOffset, insertOffset, offsetsAbove } from './unsettled-offsets.js';

export interface Bucket {
  readonly index: number;
  readonly value: unknown;
}

export interface PartitionState {
  /** Highest offset applied (or skipped as covered by the batch); -1 before the first. */
  readonly lastOffset: number;
  /** Every offset at or below it is applied, covered, or not of this key; ≤ lastOffset. */
  readonly floor: number;
  /** Offsets applied or covered in (floor, lastOffset], ascending; empty when floor = lastOffset. */
  readonly above: readonly number[];
  /** Deltas at or below this offset may be missing because every retained batch covers them. */
  readonly prunedThrough: number;
  /** Sorted by index. */
  readonly buckets: readonly Bucket[];
}

export type RealtimeState = ReadonlyMap<string, PartitionState>;

export const EMPTY_REALTIME_STATE: RealtimeState = new Map();

/** One delta: a canonical value of the view's monoid at a log offset. */
export interface Delta {
  readonly offset: number;
  readonly value: unknown;
  /** The source's settled offset of the partition when it sent the delta: every record below it
   * was fully processed. Absent: the delta comes in offset order (see the module header). */
  readonly settled?: number;
}

export interface ApplyCounts {
  /** Deltas added to a bucket. */
  applied: number;
  /** Deltas already in the record (at or below the floor, or among the offsets above it): replays, ignored. */
  duplicates: number;
  /** Deltas every retained batch version already covers: they only advance lastOffset. */
  covered: number;
}

const NEW_PARTITION: PartitionState = { lastOffset: -1, floor: -1, above: [], prunedThrough: -1, buckets: [] };

function dropThrough(buckets: readonly Bucket[], bound: number, bucketOffsets: number): Bucket[] {
  return buckets.filter((bucket) => (bucket.index + 1) * bucketOffsets - 1 > bound);
}

function foldIntoBucket(definition: ViewDefinition, buckets: Bucket[], delta: Delta): void {
  const { monoid, bucketOffsets } = definition;
  const index = Math.floor(delta.offset / bucketOffsets);
  const at = buckets.findIndex((bucket) => bucket.index >= index);
  if (at >= 0 && buckets[at]!.index === index) {
    const value = monoid.combine(buckets[at]!.value, delta.value);
    if (monoid.equals(value, monoid.zero)) buckets.splice(at, 1);
    else buckets[at] = { index, value };
  } else if (!monoid.equals(delta.value, monoid.zero)) {
    buckets.splice(at >= 0 ? at : buckets.length, 0, { index, value: delta.value });
  }
}

/**
 * Applies deltas of one partition, in any order, after dropping buckets at or below `bound`.
 * Returns the same state object when nothing changes (all duplicates; a floor that would only
 * rise is then left as it is: it is a dedup mark, and lower is merely less pruned).
 */
export function applyDeltas(definition: ViewDefinition, state: RealtimeState, partition: string, deltas: readonly Delta[], bound: number): { state: RealtimeState; counts: ApplyCounts } {
  const before = state.get(partition) ?? NEW_PARTITION;
  const prunedThrough = Math.max(before.prunedThrough, bound);
  const buckets = dropThrough(before.buckets, prunedThrough, definition.bucketOffsets);
  const counts: ApplyCounts = { applied: 0, duplicates: 0, covered: 0 };
  let { lastOffset, floor } = before;
  const above = [...before.above];
  for (const delta of deltas) {
    if (delta.offset <= floor || hasOffset(above, delta.offset)) {
      counts.duplicates += 1;
      continue;
    }
    insertOffset(above, delta.offset);
    lastOffset = Math.max(lastOffset, delta.offset);
    if (delta.offset <= prunedThrough) counts.covered += 1;
    else {
      counts.applied += 1;
      foldIntoBucket(definition, buckets, delta);
    }
    floor = Math.max(floor, delta.settled === undefined ? delta.offset : delta.settled - 1);
  }
  if (counts.applied + counts.covered === 0 && prunedThrough === before.prunedThrough && buckets.length === before.buckets.length) return { state, counts };
  // Offsets every retained batch covers need nothing either; the floor never passes lastOffset,
  // so realtimeOffsets (from lastOffset) stays the highest offset an answer reflects.
  floor = Math.min(Math.max(floor, Math.min(prunedThrough, lastOffset)), lastOffset);
  const unsettled = offsetsAbove(above, floor);
  if (buckets.length > MAX_REALTIME_BUCKETS_PER_PARTITION) throw new RealtimeBacklogError(definition.name, partition, buckets.length);
  if (unsettled.length > MAX_UNSETTLED_OFFSETS_PER_PARTITION) throw new UnsettledOffsetsBacklogError(definition.name, partition, buckets.length, unsettled.length, floor);
  const next = new Map(state);
  next.set(partition, { lastOffset, floor, above: unsettled, prunedThrough, buckets });
  if (next.size > MAX_PARTITIONS_PER_VIEW) throw new InvalidLogPositionError('partition', partition, `at most ${MAX_PARTITIONS_PER_VIEW} partitions per view key`);
  return { state: next, counts };
}

/** Drops buckets every retained batch covers (bounds per partition); undefined when nothing changes. */
export function pruneState(definition: ViewDefinition, state: RealtimeState, bounds: CutOffs): RealtimeState | undefined {
  let next: Map<string, PartitionState> | undefined;
  for (const [partition, before] of state) {
    const bound = cutOffOf(bounds, partition);
    if (bound <= before.prunedThrough) continue;
    next ??= new Map(state);
    next.set(partition, { ...before, prunedThrough: bound, buckets: dropThrough(before.buckets, bound, definition.bucketOffsets) });
  }
  return next;
}

export type Fold = { stale: false; value: unknown; reflected: Map<string, number>; settled: Map<string, number> } | { stale: true; partition: string };

/**
 * The combined deltas above `cutOffs` (the batch version being read), and per partition the
 * highest offset the batch ⊕ this fold reflects, max(cut-off, lastOffset), and the offset up to
 * which it misses nothing, max(cut-off, floor). Stale when a partition was pruned beyond the
 * cut-off (the version is retired; read the pointer again).
 */
export function foldAbove(definition: ViewDefinition, state: RealtimeState, cutOffs: CutOffs): Fold {
  const { monoid, bucketOffsets } = definition;
  let value = monoid.zero;
  const reflected = new Map<string, number>();
  const settled = new Map<string, number>();
  for (const [partition, { lastOffset, floor, prunedThrough, buckets }] of state) {
    const cutOff = cutOffOf(cutOffs, partition);
    if (prunedThrough > cutOff) return { stale: true, partition };
    for (const bucket of buckets) {
      const start = bucket.index * bucketOffsets;
      if (start > cutOff) value = monoid.combine(value, bucket.value);
      // A cut-off inside a bucket cannot be split exactly; pointers are checked, so this is a bug.
      else if (start + bucketOffsets - 1 > cutOff) throw new UnalignedCutOffError(partition, cutOff, bucketOffsets, alignCutOff(cutOff, bucketOffsets));
    }
    reflected.set(partition, Math.max(cutOff, lastOffset));
    settled.set(partition, Math.max(cutOff, floor));
  }
  return { stale: false, value, reflected, settled };
}

/** [partition, lastOffset, prunedThrough, buckets] — and, only while some offsets sit above the
 * floor, [..., floor, offsets above it (unsettled-offsets.ts)]. A record without the last two (all
 * records written before floors existed, and every record of in-order deltas) has floor =
 * lastOffset; a reader from before floors ignores them and still reads the right value. */
type EncodedPartition = [string, number, number, Array<[number, string]>] | [string, number, number, Array<[number, string]>, number, string];

export function encodeRealtimeState(definition: ViewDefinition, state: RealtimeState): Entry {
  const partitions: EncodedPartition[] = [];
  for (const [partition, { lastOffset, floor, above, prunedThrough, buckets }] of [...state].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const encoded = buckets.map((bucket): [number, string] => {
      const bytes = definition.monoid.encode(bucket.value);
      if (bytes.length > MAX_ENCODED_VALUE_BYTES) throw new ViewValueTooLargeError(`realtime bucket ${bucket.index} of view '${definition.name}'`, bytes.length, MAX_ENCODED_VALUE_BYTES);
      return [bucket.index, bytes.toString('base64')];
    });
    partitions.push(above.length === 0 ? [partition, lastOffset, prunedThrough, encoded] : [partition, lastOffset, prunedThrough, encoded, floor, encodeOffsetsAbove(floor, above)]);
  }
  const value = Buffer.from(JSON.stringify({ p: partitions }));
  if (value.length > MAX_REALTIME_RECORD_BYTES) throw new ViewValueTooLargeError(`realtime record of view '${definition.name}'`, value.length, MAX_REALTIME_RECORD_BYTES);
  return { value };
}

const isOffset = (value: unknown, minimum: number): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= minimum;

export function decodeRealtimeState(definition: ViewDefinition, entry: Entry, keyText: string): RealtimeState {
  const corrupt = (reason: string) => new CorruptViewRecordError(keyText, reason);
  let parsed: { p?: unknown };
  try {
    parsed = JSON.parse(entry.value.toString()) as typeof parsed;
  } catch {
    throw corrupt('not JSON');
  }
  if (!Array.isArray(parsed?.p)) throw corrupt('no partitions');
  const state = new Map<string, PartitionState>();
  for (const raw of parsed.p as unknown[]) {
    const fields = (Array.isArray(raw) ? raw : []) as unknown[];
    const [partition, lastOffset, prunedThrough, rawBuckets] = fields;
    if (typeof partition !== 'string' || !isOffset(lastOffset, -1) || !isOffset(prunedThrough, -1) || !Array.isArray(rawBuckets)) throw corrupt('bad partition');
    const { floor, above } = fields.length > 4 ? decodeUnsettled(fields[4], fields[5], lastOffset, corrupt) : { floor: lastOffset, above: [] };
    const buckets = rawBuckets.map((rawBucket: unknown): Bucket => {
      const [index, base64] = (Array.isArray(rawBucket) ? rawBucket : []) as unknown[];
      if (!isOffset(index, 0) || typeof base64 !== 'string') throw corrupt('bad bucket');
      try {
        return { index, value: definition.monoid.decode(Buffer.from(base64, 'base64')) };
      } catch (error) {
        if (error instanceof ViewError) throw corrupt(error.message);
        throw error;
      }
    });
    state.set(partition, { lastOffset, floor, above, prunedThrough, buckets });
  }
  return state;
}

/** The floor and the offsets above it; the highest of them must be lastOffset. */
function decodeUnsettled(floor: unknown, base64: unknown, lastOffset: number, corrupt: (reason: string) => Error): { floor: number; above: number[] } {
  if (!isOffset(floor, -1) || floor >= lastOffset || typeof base64 !== 'string') throw corrupt('bad floor');
  const above = decodeOffsetsAbove(floor, base64);
  if (typeof above === 'string') throw corrupt(above);
  if (above.at(-1) !== lastOffset) throw corrupt('offsets above the floor do not end at the last offset');
  return { floor, above };
}
