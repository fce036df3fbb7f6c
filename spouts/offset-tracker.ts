/**
 * Which offsets of each partition a reliable spout has emitted and which of them are acked: a
 * pure state machine (no I/O) shared by the log spout (Kafka offsets) and the file spout (byte
 * offsets of lines). Its answer, committable(), is Kafka's commit semantics: the next offset to
 * read such that every emitted offset below it is acked — so a restart from it re-reads every
 * tuple not yet fully processed (at-least-once) and none that was.
 *
 * Offsets are emitted in increasing order (gaps allowed: compacted offsets, line lengths); a
 * failed offset simply stays pending until it is emitted again and acked, which holds the
 * committable offset back. Pending offsets are bounded: isFull() tells the spout to stop reading
 * until acks move the committable offset on.
 */
import { SpoutError } from './errors.js';
import { DEFAULT_MAX_PENDING_OFFSETS } from './limits.js';

/** Drop consumed queue slots once this many accumulate (amortised O(1) per offset). */
const COMPACT_AFTER_SLOTS = 1_024;

interface PartitionOffsets {
  /** Emitted offsets in emit order (ascending), from `head` on still pending. */
  queue: number[];
  head: number;
  /** Pending offset → acked yet. */
  pending: Map<number, boolean>;
  /** The offset after the last one emitted: where reading continues. */
  position: number;
}

export class OffsetTracker {
  private readonly partitions = new Map<number, PartitionOffsets>();

  constructor(readonly maxPendingOffsets: number = DEFAULT_MAX_PENDING_OFFSETS) {
    if (!Number.isInteger(maxPendingOffsets) || maxPendingOffsets < 1) throw new RangeError(`maxPendingOffsets must be a positive integer, got ${maxPendingOffsets}`);
  }

  /** Starts (or restarts) tracking `partition` from `offset`, the committed offset to read next. */
  assign(partition: number, offset: number): void {
    this.partitions.set(partition, { queue: [], head: 0, pending: new Map(), position: offset });
  }

  get assigned(): readonly number[] {
    return [...this.partitions.keys()];
  }

  /**
   * Records the first emit of `offset`, whose successor starts at `nextOffset` (offset + 1 for a
   * log; the next line's byte offset for a file). Emitting a pending offset again (a replay) is
   * allowed and changes nothing; emitting below the read position anything else is a bug.
   */
  emitted(partition: number, offset: number, nextOffset = offset + 1): void {
    const state = this.state(partition);
    if (state.pending.has(offset)) return;
    if (offset < state.position || nextOffset <= offset) {
      throw new SpoutError('OFFSET_ORDER_VIOLATED', `partition ${partition}: offset ${offset} (next ${nextOffset}) emitted below the read position ${state.position}; offsets must be emitted in increasing order`);
    }
    state.queue.push(offset);
    state.pending.set(offset, false);
    state.position = nextOffset;
  }

  /** Marks `offset` fully processed. False when it is not pending (a duplicate or stale ack). */
  acked(partition: number, offset: number): boolean {
    const state = this.partitions.get(partition);
    if (state?.pending.get(offset) !== false) return false;
    state.pending.set(offset, true);
    while (state.head < state.queue.length && state.pending.get(state.queue[state.head]!) === true) {
      state.pending.delete(state.queue[state.head]!);
      state.head += 1;
    }
    if (state.head >= COMPACT_AFTER_SLOTS && state.head * 2 >= state.queue.length) {
      state.queue = state.queue.slice(state.head);
      state.head = 0;
    }
    return true;
  }

  /** Whether `offset` was emitted and is not acked yet (a fail leaves it so). */
  isUnacked(partition: number, offset: number): boolean {
    return this.partitions.get(partition)?.pending.get(offset) === false;
  }

  /** The offset to commit: every emitted offset below it is acked, and nothing at or above it is. */
  committable(partition: number): number {
    const state = this.state(partition);
    return state.queue[state.head] ?? state.position;
  }

  /** Where reading continues: after the last offset emitted. */
  position(partition: number): number {
    return this.state(partition).position;
  }

  /** Offsets held: emitted and not yet below the committable offset (acked ones behind a pending one count). */
  pendingCount(partition: number): number {
    return this.state(partition).pending.size;
  }

  isFull(partition: number): boolean {
    return this.pendingCount(partition) >= this.maxPendingOffsets;
  }

  private state(partition: number): PartitionOffsets {
    const state = this.partitions.get(partition);
    if (state === undefined) throw new RangeError(`partition ${partition} is not assigned to this offset tracker`);
    return state;
  }
}
