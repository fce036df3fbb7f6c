/**
 * One node's queue of hints (Dynamo §4.6): writes it accepted as a fallback for a replica that was
 * down, to hand back when that replica is up again.
 *
 * Guarantees:
 * - at most one hint per (intended node, key): a newer hint merges into the older one (the merged
 *   value is what the replica needs), so a hot key does not fill the queue;
 * - bounded: at most `maxHintsPerTarget` per intended node and `maxTotalBytes` overall; past either
 *   the oldest hints are dropped and counted (anti-entropy repairs what they carried), and a single
 *   hint larger than the whole budget is refused (HintTooLargeError) so the write is not acked;
 * - replay hands out the oldest hints first, in bounded batches; a hint leaves the queue only when
 *   its replay is acknowledged, and a hint merged while its replay was in flight stays queued.
 * Pure: no timers; time is passed in. Persisting hints (hint files) is the caller's job.
 */
import { HintTooLargeError, InvalidOptionError } from './errors.js';
import {
  DEFAULT_MAX_HINT_AGE_MS,
  DEFAULT_REPLAY_BATCH_BYTES,
  DEFAULT_REPLAY_BATCH_HINTS,
  DEFAULT_REPLAY_TIMEOUT_MS,
  HINT_OVERHEAD_BYTES,
  MAX_HINT_KEY_BYTES,
  MAX_HINT_QUEUE_BYTES,
  MAX_HINTS_PER_TARGET,
} from './limits.js';
import { encodedSize } from './versioned-value-codec.js';
import { merge, type VersionedValue } from './versioned-value.js';

export interface Hint {
  /** Unique within the queue; a merged hint gets a new id. */
  readonly id: number;
  readonly intendedNode: string;
  readonly key: Buffer;
  readonly value: VersionedValue;
  /** When the first write of this hint was stored. */
  readonly storedAtMs: number;
  readonly sizeBytes: number;
}

export interface HintQueueOptions {
  /** Default MAX_HINTS_PER_TARGET. */
  readonly maxHintsPerTarget?: number;
  /** Default MAX_HINT_QUEUE_BYTES. */
  readonly maxTotalBytes?: number;
  /** Hints older than this are dropped by `expire`. Default DEFAULT_MAX_HINT_AGE_MS. */
  readonly maxHintAgeMs?: number;
  /** Most hints, and bytes, per replay batch. Defaults DEFAULT_REPLAY_BATCH_HINTS / _BYTES. */
  readonly replayBatchHints?: number;
  readonly replayBatchBytes?: number;
  /** A replayed hint not acknowledged within this is offered again. Default DEFAULT_REPLAY_TIMEOUT_MS. */
  readonly replayTimeoutMs?: number;
}

export interface HintQueueStats {
  readonly hints: number;
  readonly totalBytes: number;
  readonly targets: number;
  readonly droppedHints: number;
  readonly droppedBytes: number;
  readonly mergedHints: number;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  const chosen = value ?? fallback;
  if (!Number.isSafeInteger(chosen) || chosen < 1) throw new InvalidOptionError(name, chosen, 'a positive integer');
  return chosen;
}

export class HintQueue {
  readonly maxHintsPerTarget: number;
  readonly maxTotalBytes: number;
  readonly maxHintAgeMs: number;
  readonly replayBatchHints: number;
  readonly replayBatchBytes: number;
  readonly replayTimeoutMs: number;
  /** Every hint by id; Map order is id order, so the first entry is the oldest. */
  readonly #byId = new Map<number, Hint>();
  /** Per intended node: key (hex) → hint id, oldest first. */
  readonly #byTarget = new Map<string, Map<string, number>>();
  /** Ids being replayed → when to offer them again. */
  readonly #inFlightUntilMs = new Map<number, number>();
  #nextId = 1;
  #totalBytes = 0;
  #droppedHints = 0;
  #droppedBytes = 0;
  #mergedHints = 0;

  constructor(options: HintQueueOptions = {}) {
    this.maxHintsPerTarget = positive('maxHintsPerTarget', options.maxHintsPerTarget, MAX_HINTS_PER_TARGET);
    this.maxTotalBytes = positive('maxTotalBytes', options.maxTotalBytes, MAX_HINT_QUEUE_BYTES);
    this.maxHintAgeMs = positive('maxHintAgeMs', options.maxHintAgeMs, DEFAULT_MAX_HINT_AGE_MS);
    this.replayBatchHints = positive('replayBatchHints', options.replayBatchHints, DEFAULT_REPLAY_BATCH_HINTS);
    this.replayBatchBytes = positive('replayBatchBytes', options.replayBatchBytes, DEFAULT_REPLAY_BATCH_BYTES);
    this.replayTimeoutMs = positive('replayTimeoutMs', options.replayTimeoutMs, DEFAULT_REPLAY_TIMEOUT_MS);
  }

  /**
   * Stores a hint for `intendedNode` (merging with its hint for the same key), then drops the oldest
   * hints while a limit is exceeded. Returns the stored hint.
   */
  add(intendedNode: string, key: Buffer | string, value: VersionedValue, nowMs: number): Hint {
    const keyBytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
    if (keyBytes.length > MAX_HINT_KEY_BYTES) throw new InvalidOptionError('key length', keyBytes.length, `at most ${MAX_HINT_KEY_BYTES} bytes`);
    const keyId = keyBytes.toString('hex');
    const keys = this.#byTarget.get(intendedNode);
    const previous = keys === undefined ? undefined : this.#byId.get(keys.get(keyId) ?? 0);
    const merged = previous === undefined ? value : merge(previous.value, value);
    const sizeBytes = HINT_OVERHEAD_BYTES + Buffer.byteLength(intendedNode) + keyBytes.length + encodedSize(merged);
    if (sizeBytes > this.maxTotalBytes) throw new HintTooLargeError(sizeBytes, this.maxTotalBytes);
    if (previous !== undefined) {
      this.#remove(previous);
      this.#mergedHints++;
    }
    const hint: Hint = { id: this.#nextId++, intendedNode, key: keyBytes, value: merged, storedAtMs: previous?.storedAtMs ?? nowMs, sizeBytes };
    this.#byId.set(hint.id, hint);
    const targetKeys = this.#byTarget.get(intendedNode) ?? new Map<string, number>();
    targetKeys.set(keyId, hint.id);
    this.#byTarget.set(intendedNode, targetKeys);
    this.#totalBytes += sizeBytes;
    this.#enforceLimits(intendedNode);
    return hint;
  }

  /**
   * The next batch to replay to `intendedNode`, now seen up: its oldest hints not already in flight
   * (or whose replay timed out), within the batch limits. They are marked in flight until
   * `nowMs + replayTimeoutMs`; answer each with `acknowledge` or `replayFailed`.
   */
  replay(intendedNode: string, nowMs: number): Hint[] {
    const batch: Hint[] = [];
    let batchBytes = 0;
    for (const id of this.#byTarget.get(intendedNode)?.values() ?? []) {
      const hint = this.#byId.get(id);
      if (hint === undefined || (this.#inFlightUntilMs.get(id) ?? -Infinity) > nowMs) continue;
      if (batch.length > 0 && batchBytes + hint.sizeBytes > this.replayBatchBytes) break;
      batch.push(hint);
      batchBytes += hint.sizeBytes;
      this.#inFlightUntilMs.set(id, nowMs + this.replayTimeoutMs);
      if (batch.length >= this.replayBatchHints) break;
    }
    return batch;
  }

  /** The intended replica stored hint `id`: forget it. False if it is gone (merged, dropped or acked). */
  acknowledge(id: number): boolean {
    const hint = this.#byId.get(id);
    if (hint === undefined) return false;
    this.#remove(hint);
    return true;
  }

  /** Replay of hint `id` failed: offer it again at the next replay. */
  replayFailed(id: number): void {
    this.#inFlightUntilMs.delete(id);
  }

  /** Drops hints stored more than maxHintAgeMs before `nowMs`; returns how many. */
  expire(nowMs: number): number {
    let expired = 0;
    for (const hint of [...this.#byId.values()]) {
      if (hint.storedAtMs + this.maxHintAgeMs > nowMs) continue;
      this.#drop(hint);
      expired++;
    }
    return expired;
  }

  /** Nodes some hint is waiting for. */
  targets(): string[] {
    return [...this.#byTarget.keys()];
  }

  /** Hints waiting for `intendedNode`, oldest first. */
  hintsFor(intendedNode: string): Hint[] {
    return [...(this.#byTarget.get(intendedNode)?.values() ?? [])].map((id) => this.#byId.get(id)).filter((hint): hint is Hint => hint !== undefined);
  }

  stats(): HintQueueStats {
    return {
      hints: this.#byId.size,
      totalBytes: this.#totalBytes,
      targets: this.#byTarget.size,
      droppedHints: this.#droppedHints,
      droppedBytes: this.#droppedBytes,
      mergedHints: this.#mergedHints,
    };
  }

  #enforceLimits(target: string): void {
    const keys = this.#byTarget.get(target);
    while (keys !== undefined && keys.size > this.maxHintsPerTarget) {
      const oldest = this.#byId.get(keys.values().next().value ?? 0);
      if (oldest === undefined) break;
      this.#drop(oldest);
    }
    while (this.#totalBytes > this.maxTotalBytes) {
      const oldest = this.#byId.values().next().value;
      if (oldest === undefined) break;
      this.#drop(oldest);
    }
  }

  #drop(hint: Hint): void {
    this.#remove(hint);
    this.#droppedHints++;
    this.#droppedBytes += hint.sizeBytes;
  }

  #remove(hint: Hint): void {
    this.#byId.delete(hint.id);
    this.#inFlightUntilMs.delete(hint.id);
    this.#totalBytes -= hint.sizeBytes;
    const keys = this.#byTarget.get(hint.intendedNode);
    keys?.delete(hint.key.toString('hex'));
    if (keys?.size === 0) this.#byTarget.delete(hint.intendedNode);
  }
}
