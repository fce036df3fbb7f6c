/**
 * The stream layer's side of a view: applies per-key deltas tagged with the log position they
 * come from, exactly once per (view, key, partition, offset) however often a replay delivers them.
 *
 * Each apply is a read-modify-write of the key's realtime record (realtime-state.ts) through the
 * keyspace's linearizable compareAndSet, in a bounded retry loop, so concurrent writers of one
 * key (two tasks, a replay racing the original) never lose or double a delta. A delta already in
 * the record (at or below its settled floor, or among the offsets above it) is a duplicate and
 * writes nothing.
 *
 * Dedup needs one of two things of the caller, per delta (realtime-state.ts):
 * - a `settled` offset in its position, true when sent: every record of the partition below it
 *   was fully processed, so its deltas are in the view (a log spout's committable offset). Deltas
 *   may then arrive in any order: a replay landing after later offsets of its key counts once.
 * - or, without `settled`, the in-order precondition: for one view, key and partition, deltas are
 *   applied in offset order, and an apply that failed is retried before any later offset of that
 *   key and partition — what one process replaying from the failed tuple onwards gives, but not
 *   a cluster where a worker holding a tuple dies while the spout lives on.
 * The realtime layer must also start each partition at or before the live batch cut-off + 1
 * (offset 0 for a new view), or the offsets in between are missing from the answer.
 *
 * Buckets that every retained batch version covers are dropped on the way (lazily), using a
 * pointer cached for POINTER_CACHE_MS: a stale pointer only drops less.
 */
import type { ViewDefinition, ViewsOptions } from './catalog.js';
import { ViewCatalog } from './catalog.js';
import { updateEntry } from './compare-and-set.js';
import { InvalidLogPositionError } from './errors.js';
import { checkPosition, cutOffOf, type CutOffs, type LogPosition } from './log-position.js';
import { POINTER_CACHE_MS } from './limits.js';
import { pruneBounds, readPointer } from './pointer.js';
import { applyDeltas, decodeRealtimeState, EMPTY_REALTIME_STATE, encodeRealtimeState, type ApplyCounts, type Delta, type RealtimeState } from './realtime-state.js';
import { printable, realtimeKey, viewKeyBytes } from './view-keys.js';
import { monotonicNowMs } from '../../core/clock/monotonic-clock.js';

export interface ApplyOutcome extends ApplyCounts {
  /** Compare-and-sets it took (0 when every delta was a duplicate). */
  attempts: number;
}

/** One delta of applyMany: a value of the view's monoid (see README for each monoid's input). */
export interface PositionedDelta {
  delta: unknown;
  position: LogPosition;
}

export class RealtimeViewWriter {
  private readonly catalog: ViewCatalog;
  private readonly nowMs: () => number;
  private readonly bounds = new Map<string, { bounds: CutOffs; readAtMs: number }>();

  constructor(private readonly options: ViewsOptions) {
    this.catalog = options.catalog ?? new ViewCatalog(options);
    // Only the pointer cache's age reads this clock: monotonic unless a test injects one, so a wall
    // clock stepped back does not keep stale prune bounds for the size of the step.
    this.nowMs = options.nowMs ?? monotonicNowMs;
  }

  /** Applies one delta of `key` at `position`; a replayed position changes nothing. */
  apply(view: string, key: Buffer | string, delta: unknown, position: LogPosition): Promise<ApplyOutcome> {
    return this.applyMany(view, key, [{ delta, position }]);
  }

  /**
   * Applies several deltas of one key in one compare-and-set (a bolt's micro-batch). Per
   * partition their offsets must increase strictly.
   */
  async applyMany(view: string, key: Buffer | string, deltas: readonly PositionedDelta[]): Promise<ApplyOutcome> {
    const definition = await this.catalog.get(view);
    const keyBytes = viewKeyBytes(key);
    const byPartition = groupByPartition(definition, deltas);
    const bounds = await this.pruneBoundsOf(definition);
    const recordKey = realtimeKey(view, keyBytes);
    const keyText = printable(recordKey);
    const target = { ...this.options, key: recordKey, what: `realtime record of view '${view}' key ${JSON.stringify(keyBytes.toString('latin1').slice(0, 100))}` };
    const { result, attempts } = await updateEntry(target, (current) => {
      let state: RealtimeState = current === undefined ? EMPTY_REALTIME_STATE : decodeRealtimeState(definition, current, keyText);
      const before = state;
      const counts: ApplyCounts = { applied: 0, duplicates: 0, covered: 0 };
      for (const [partition, partitionDeltas] of byPartition) {
        const step = applyDeltas(definition, state, partition, partitionDeltas, cutOffOf(bounds, partition));
        state = step.state;
        counts.applied += step.counts.applied;
        counts.duplicates += step.counts.duplicates;
        counts.covered += step.counts.covered;
      }
      return state === before ? { keep: true, result: counts } : { write: encodeRealtimeState(definition, state), result: counts };
    });
    return { ...result, attempts };
  }

  private async pruneBoundsOf(definition: ViewDefinition): Promise<CutOffs> {
    const cached = this.bounds.get(definition.name);
    const now = this.nowMs();
    if (cached !== undefined && now - cached.readAtMs < POINTER_CACHE_MS) return cached.bounds;
    const { pointer } = await readPointer(this.options, definition);
    const bounds = pruneBounds(pointer);
    this.bounds.set(definition.name, { bounds, readAtMs: now });
    return bounds;
  }
}

function groupByPartition(definition: ViewDefinition, deltas: readonly PositionedDelta[]): Map<string, Delta[]> {
  const byPartition = new Map<string, Delta[]>();
  for (const { delta, position } of deltas) {
    const { partition, offset, settled } = checkPosition(position);
    const list = byPartition.get(partition) ?? [];
    const previous = list.at(-1);
    if (previous !== undefined && previous.offset >= offset) throw new InvalidLogPositionError(`offset of ${partition}`, offset, `above ${previous.offset}: deltas of one partition in increasing offset order`);
    const value = definition.monoid.from(delta);
    list.push(settled === undefined ? { offset, value } : { offset, value, settled });
    byPartition.set(partition, list);
  }
  return byPartition;
}
