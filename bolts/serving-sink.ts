/**
 * The serving (view) sink: what the bolt at the end of a topology does with each view delta —
 * apply it to a realtime view (serving/views) exactly once, in a way that keeps the realtime
 * writer's precondition even when the keyspace fails some applies.
 *
 * core/topology has no Bolt interface yet (bolts/README.md), so this is the bolt's engine, not
 * the bolt: its `execute` will call `sink.write(delta)` and ack the tuple when the promise
 * resolves, fail it when it rejects. Guarantees, per (view, key):
 *
 * - Deltas are applied in the order `write` was called, one keyspace update at a time: two
 *   concurrent applies of one key could otherwise land out of order, and for a delta without a
 *   settled offset (its position's `settled`) the later offset would make the earlier one look
 *   like a duplicate — lost. With settled offsets the view dedups out-of-order deltas exactly, and
 *   this order and the hold-back below only save needless work; they are what keeps deltas
 *   without them exact within one process (across processes, only settled offsets do: a worker
 *   that dies holding a tuple takes this sink's order with it).
 * - Deltas queued behind an update are applied together with `applyMany` (one compareAndSet for up
 *   to MAX_DELTAS_PER_APPLY deltas), cutting keyspace round trips for hot keys.
 * - When an apply fails for a reason that may pass (the keyspace is unavailable, contention), every
 *   later delta of that key and partition is failed with HeldBackError until the failed offset is
 *   written again (the spout's replay), so no later offset can move the record's floor past an
 *   offset that was never counted. Deltas the view refuses outright (a value that is not of
 *   the monoid, an unknown view) are failed alone and hold nothing back: no replay could count them.
 *
 * Memory: a queue per key with deltas waiting; the topology's maxSpoutPending bounds it.
 */
import { RealtimeViewWriter, ViewError, type ApplyOutcome, type LogPosition, type PositionedDelta, type ViewsOptions } from '../serving/views/index.js';

/** Most deltas of one key written in one compareAndSet. */
export const MAX_DELTAS_PER_APPLY = 256;

export interface ViewDelta {
  view: string;
  key: Buffer | string;
  /** A value of the view's monoid (1 for a count, a member for a set, ...). */
  delta: unknown;
  position: LogPosition;
}

/** A delta failed because an earlier delta of its key and partition failed and is not yet replayed. */
export class HeldBackError extends Error {
  readonly code = 'HELD_BACK';
  readonly retriable = true;
  constructor(
    readonly view: string,
    readonly partition: string,
    readonly offset: number,
    readonly failedOffset: number,
  ) {
    super(`delta at ${partition}@${offset} of view '${view}' is held back until the failed delta at offset ${failedOffset} is replayed; fail the tuple so the spout replays it`);
    this.name = 'HeldBackError';
  }
}

interface Pending {
  item: ViewDelta;
  resolve: (outcome: ApplyOutcome) => void;
  reject: (error: unknown) => void;
}

interface Lane {
  queue: Pending[];
  running: boolean;
  /** partition → lowest offset whose apply failed and has not been written again since. */
  failedAt: Map<string, number>;
}

export interface ServingSinkOptions extends ViewsOptions {
  /** The writer to use (one is made from the options otherwise). */
  writer?: RealtimeViewWriter;
}

export class ServingSink {
  private readonly writer: RealtimeViewWriter;
  private readonly lanes = new Map<string, Lane>();

  constructor(options: ServingSinkOptions) {
    this.writer = options.writer ?? new RealtimeViewWriter(options);
  }

  /** Keys with deltas queued or failed offsets awaiting replay. */
  get busyKeys(): number {
    return this.lanes.size;
  }

  /** Applies one delta; resolves once it is in the view (or was already), rejects when it is not. */
  write(item: ViewDelta): Promise<ApplyOutcome> {
    const keyBytes = typeof item.key === 'string' ? Buffer.from(item.key) : item.key;
    const id = `${item.view}\u0000${keyBytes.toString('latin1')}`;
    let lane = this.lanes.get(id);
    if (lane === undefined) {
      lane = { queue: [], running: false, failedAt: new Map() };
      this.lanes.set(id, lane);
    }
    const promise = new Promise<ApplyOutcome>((resolve, reject) => lane.queue.push({ item, resolve, reject }));
    if (!lane.running) void this.drain(id, lane);
    return promise;
  }

  private async drain(id: string, lane: Lane): Promise<void> {
    lane.running = true;
    while (lane.queue.length > 0) {
      const batch = this.nextBatch(lane);
      if (batch.length > 0) await this.applyBatch(lane, batch);
    }
    lane.running = false;
    if (lane.failedAt.size === 0) this.lanes.delete(id);
  }

  /** Takes queued deltas while their offsets increase per partition, failing held-back ones. */
  private nextBatch(lane: Lane): Pending[] {
    const batch: Pending[] = [];
    const lastOffsets = new Map<string, number>();
    while (lane.queue.length > 0 && batch.length < MAX_DELTAS_PER_APPLY) {
      const { partition, offset } = lane.queue[0]!.item.position;
      const previous = lastOffsets.get(partition);
      if (previous !== undefined && offset <= previous) break;
      const pending = lane.queue.shift()!;
      // Behind the failed offset in this same (atomic) batch, later offsets are safe.
      const replayedHere = previous !== undefined && previous >= (lane.failedAt.get(partition) ?? Infinity);
      if (!replayedHere && this.heldBack(lane, pending)) continue;
      lastOffsets.set(partition, offset);
      batch.push(pending);
    }
    return batch;
  }

  /** Fails the delta when an earlier offset of its partition failed and was not written since. */
  private heldBack(lane: Lane, { item, reject }: Pending): boolean {
    const { partition, offset } = item.position;
    const failedAt = lane.failedAt.get(partition);
    if (failedAt === undefined || offset <= failedAt) return false;
    reject(new HeldBackError(item.view, partition, offset, failedAt));
    return true;
  }

  private async applyBatch(lane: Lane, batch: Pending[]): Promise<void> {
    const { view, key } = batch[0]!.item;
    const deltas: PositionedDelta[] = batch.map(({ item }) => ({ delta: item.delta, position: item.position }));
    try {
      const outcome = await this.writer.applyMany(view, key, deltas);
      for (const { item, resolve } of batch) {
        if (lane.failedAt.get(item.position.partition) === item.position.offset) lane.failedAt.delete(item.position.partition);
        resolve(outcome);
      }
    } catch (error) {
      if (error instanceof ViewError && !error.retriable && batch.length > 1) {
        // One bad delta refuses the whole batch: apply them one by one to fail only that one.
        for (const pending of batch) if (!this.heldBack(lane, pending)) await this.applyBatch(lane, [pending]);
        return;
      }
      for (const { item, reject } of batch) {
        const { partition, offset } = item.position;
        if (!(error instanceof ViewError && !error.retriable)) lane.failedAt.set(partition, Math.min(offset, lane.failedAt.get(partition) ?? Infinity));
        reject(error);
      }
    }
  }
}
