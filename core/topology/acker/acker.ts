/**
 * The acker: Storm's XOR algorithm for at-least-once processing, as a pure state machine. Messages
 * in (`init`, `ack`, `fail`, `expire`), events out; no timers, no I/O — the executor passes the
 * time in (a monotonic clock) and forwards the events to spout tasks.
 *
 * Algorithm. Every tuple edge gets a random 52-bit id (see TUPLE_ID_BITS). Per tree (keyed by the spout tuple's root id)
 * the acker keeps one "ack val": the spout's `init` XORs in the ids of its edges, and each bolt's
 * `ack` XORs in the id of the edge it consumed and the ids of the edges it anchored to it. Every id
 * thus enters exactly twice (created, consumed) and the ack val returns to 0 exactly when every edge
 * has been consumed — whatever order the messages arrive in — up to a 2^-52 id collision.
 *
 * Guarantees:
 * - a tree completes at most once, only after its `init`, and only when its ack val is 0;
 * - acks (and a fail) may arrive before `init`; they are kept and settled when `init` arrives;
 * - a tree reports `failed` at most once, and never completes after failing;
 * - `expire(nowMs, timeoutMs)` fails exactly the initialised trees with nowMs - startMs > timeoutMs
 *   (startMs = time of `init`); acks seen without any `init` expire silently (their spout times out
 *   on its own and replays). Cost is O(expired + 1): trees sit in time buckets (a time-indexed
 *   RotatingMap) whose insertion order is start order, so the scan stops at the first live tree;
 * - memory is bounded by `maxPendingTrees`: beyond it the oldest tree fails (reason `evicted`).
 *
 * Not tolerated (as in Storm): the same ack delivered twice — it would XOR its ids back in. The
 * transport to the acker must not duplicate messages.
 */
import {
  AckerInvariantError,
  DuplicateInitError,
  InvalidAckerOptionError,
  InvalidTaskIdError,
  InvalidTimeError,
  TimeWentBackwardsError,
} from './errors.js';
import {
  DEFAULT_MAX_PENDING_TREES,
  DEFAULT_TIMEOUT_BUCKET_WIDTH_MS,
  MAX_PENDING_TREES_LIMIT,
  MAX_TIMEOUT_BUCKET_WIDTH_MS,
} from './limits.js';
import { assertTupleId, assertXorValue, xorIds, type TupleId } from './tuple-id.js';

export interface AckerOptions {
  /** Most trees tracked at once (default `DEFAULT_MAX_PENDING_TREES`); the oldest fails beyond it. */
  readonly maxPendingTrees?: number;
  /** Width of one timeout bucket in ms (default `DEFAULT_TIMEOUT_BUCKET_WIDTH_MS`). */
  readonly timeoutBucketWidthMs?: number;
}

/** Why a tree failed: a bolt called fail, it timed out, or it was pushed out by `maxPendingTrees`. */
export type FailureReason = 'fail' | 'timeout' | 'evicted';

export type AckerEvent =
  | { readonly kind: 'complete'; readonly rootId: TupleId; readonly spoutTaskId: number; readonly latencyMs: number }
  | { readonly kind: 'failed'; readonly rootId: TupleId; readonly spoutTaskId: number; readonly reason: FailureReason };

interface PendingTree {
  readonly rootId: TupleId;
  /** Undefined until `init` arrives. */
  spoutTaskId: number | undefined;
  ackVal: number;
  /** Time of `init`, or of the first message before it. */
  startMs: number;
  bucketIndex: number;
  /** A fail arrived before `init`: report it when `init` does. */
  failed: boolean;
}

export class Acker {
  readonly maxPendingTrees: number;
  readonly timeoutBucketWidthMs: number;
  private readonly trees = new Map<TupleId, PendingTree>();
  /** Bucket index (floor(startMs / width)) → trees started in it. Both maps iterate in start order
   * because time never goes backwards and a tree only ever moves to the newest bucket. */
  private readonly buckets = new Map<number, Map<TupleId, PendingTree>>();
  private latestMs = 0;

  constructor(options: AckerOptions = {}) {
    this.maxPendingTrees = options.maxPendingTrees ?? DEFAULT_MAX_PENDING_TREES;
    this.timeoutBucketWidthMs = options.timeoutBucketWidthMs ?? DEFAULT_TIMEOUT_BUCKET_WIDTH_MS;
    const max = this.maxPendingTrees;
    if (!Number.isSafeInteger(max) || max < 1 || max > MAX_PENDING_TREES_LIMIT) {
      throw new InvalidAckerOptionError('maxPendingTrees', max, `integer in 1..${MAX_PENDING_TREES_LIMIT}`);
    }
    const width = this.timeoutBucketWidthMs;
    if (!Number.isFinite(width) || width <= 0 || width > MAX_TIMEOUT_BUCKET_WIDTH_MS) {
      throw new InvalidAckerOptionError('timeoutBucketWidthMs', width, `number in (0, ${MAX_TIMEOUT_BUCKET_WIDTH_MS}]`);
    }
  }

  /** Trees tracked now, including those only acked so far. */
  get pendingTrees(): number {
    return this.trees.size;
  }

  /** True while the acker tracks `rootId` (initialised or not). */
  has(rootId: TupleId): boolean {
    return this.trees.has(rootId);
  }

  /** The spout task `spoutTaskId` emitted root `rootId` on edges whose ids XOR to `initialXor`. */
  init(rootId: TupleId, spoutTaskId: number, initialXor: number, nowMs: number): AckerEvent[] {
    assertTupleId(rootId);
    assertXorValue(initialXor);
    if (!Number.isSafeInteger(spoutTaskId) || spoutTaskId < 0) throw new InvalidTaskIdError(spoutTaskId);
    this.advanceTo(nowMs);
    const events: AckerEvent[] = [];
    let tree = this.trees.get(rootId);
    if (tree === undefined) {
      tree = this.insert(rootId, nowMs, events);
    } else if (tree.spoutTaskId !== undefined) {
      throw new DuplicateInitError(rootId);
    } else {
      this.restartAt(tree, nowMs); // latency and timeout count from the spout's emit
    }
    tree.spoutTaskId = spoutTaskId;
    tree.ackVal = xorIds(tree.ackVal, initialXor);
    this.settle(tree, events);
    return events;
  }

  /** A bolt acked an input tuple of tree `rootId`: `xorDelta` = the input's edge id XOR the ids of
   * every tuple it anchored to that input. */
  ack(rootId: TupleId, xorDelta: number, nowMs: number): AckerEvent[] {
    assertTupleId(rootId);
    assertXorValue(xorDelta);
    this.advanceTo(nowMs);
    const events: AckerEvent[] = [];
    const tree = this.trees.get(rootId) ?? this.insert(rootId, nowMs, events);
    tree.ackVal = xorIds(tree.ackVal, xorDelta);
    this.settle(tree, events);
    return events;
  }

  /** A bolt failed a tuple of tree `rootId`: the tree fails now, or when its `init` arrives. */
  fail(rootId: TupleId): AckerEvent[] {
    assertTupleId(rootId);
    const events: AckerEvent[] = [];
    const tree = this.trees.get(rootId) ?? this.insert(rootId, this.latestMs, events);
    tree.failed = true;
    this.settle(tree, events);
    return events;
  }

  /** Fails every initialised tree with nowMs - startMs > timeoutMs; drops uninitialised ones as old. */
  expire(nowMs: number, timeoutMs: number): AckerEvent[] {
    if (!Number.isFinite(timeoutMs) || timeoutMs < 0) throw new InvalidTimeError('timeoutMs', timeoutMs);
    this.advanceTo(nowMs);
    const cutoffMs = nowMs - timeoutMs; // trees that started strictly before this are expired
    const events: AckerEvent[] = [];
    for (const [index, bucket] of this.buckets) {
      if ((index + 1) * this.timeoutBucketWidthMs <= cutoffMs) {
        for (const tree of bucket.values()) this.drop(tree, 'timeout', events);
        continue;
      }
      for (const tree of bucket.values()) {
        if (tree.startMs >= cutoffMs) return events; // start order: every later tree is younger
        this.drop(tree, 'timeout', events);
      }
      return events;
    }
    return events;
  }

  /** Throws `AckerInvariantError` when the index and the buckets disagree (for tests). */
  checkInvariants(): void {
    let counted = 0;
    let previousStartMs = -Infinity;
    for (const [index, bucket] of this.buckets) {
      if (bucket.size === 0) throw new AckerInvariantError(`bucket ${index} is empty but kept`);
      for (const tree of bucket.values()) {
        counted++;
        if (this.trees.get(tree.rootId) !== tree) throw new AckerInvariantError(`tree ${tree.rootId} not indexed`);
        if (tree.bucketIndex !== index) throw new AckerInvariantError(`tree ${tree.rootId} in wrong bucket`);
        if (tree.startMs < previousStartMs) throw new AckerInvariantError(`tree ${tree.rootId} out of start order`);
        previousStartMs = tree.startMs;
      }
    }
    if (counted !== this.trees.size) throw new AckerInvariantError(`${counted} bucketed vs ${this.trees.size} indexed`);
    if (counted > this.maxPendingTrees) throw new AckerInvariantError(`${counted} trees > ${this.maxPendingTrees}`);
  }

  private advanceTo(nowMs: number): void {
    if (!Number.isFinite(nowMs) || nowMs < 0) throw new InvalidTimeError('nowMs', nowMs);
    if (nowMs < this.latestMs) throw new TimeWentBackwardsError(nowMs, this.latestMs);
    this.latestMs = nowMs;
  }

  /** Reports the tree if its outcome is known (it needs `init` for the spout task id). */
  private settle(tree: PendingTree, events: AckerEvent[]): void {
    const spoutTaskId = tree.spoutTaskId;
    if (spoutTaskId === undefined) return;
    if (tree.failed) {
      this.drop(tree, 'fail', events);
    } else if (tree.ackVal === 0) {
      this.remove(tree);
      events.push({ kind: 'complete', rootId: tree.rootId, spoutTaskId, latencyMs: this.latestMs - tree.startMs });
    }
  }

  /** Forgets a tree, reporting it as failed if a spout is waiting for it. */
  private drop(tree: PendingTree, reason: FailureReason, events: AckerEvent[]): void {
    this.remove(tree);
    const spoutTaskId = tree.spoutTaskId;
    if (spoutTaskId !== undefined) events.push({ kind: 'failed', rootId: tree.rootId, spoutTaskId, reason });
  }

  private insert(rootId: TupleId, startMs: number, events: AckerEvent[]): PendingTree {
    if (this.trees.size >= this.maxPendingTrees) this.evictOldest(events);
    const tree: PendingTree = { rootId, spoutTaskId: undefined, ackVal: 0, startMs, bucketIndex: 0, failed: false };
    this.trees.set(rootId, tree);
    this.addToBucket(tree, startMs);
    return tree;
  }

  private evictOldest(events: AckerEvent[]): void {
    for (const bucket of this.buckets.values()) {
      for (const tree of bucket.values()) {
        this.drop(tree, 'evicted', events);
        return;
      }
    }
  }

  private restartAt(tree: PendingTree, startMs: number): void {
    this.removeFromBucket(tree);
    this.addToBucket(tree, startMs);
  }

  private remove(tree: PendingTree): void {
    this.trees.delete(tree.rootId);
    this.removeFromBucket(tree);
  }

  private addToBucket(tree: PendingTree, startMs: number): void {
    const index = Math.floor(startMs / this.timeoutBucketWidthMs);
    tree.startMs = startMs;
    tree.bucketIndex = index;
    let bucket = this.buckets.get(index);
    if (bucket === undefined) {
      bucket = new Map();
      this.buckets.set(index, bucket); // the newest index, so it lands last: start order holds
    }
    bucket.set(tree.rootId, tree);
  }

  private removeFromBucket(tree: PendingTree): void {
    const bucket = this.buckets.get(tree.bucketIndex);
    if (bucket === undefined) return;
    bucket.delete(tree.rootId);
    if (bucket.size === 0) this.buckets.delete(tree.bucketIndex);
  }
}
