/**
 * What a replica stores per key, and how two copies of it merge.
 *
 * A keyspace picks one conflict mode:
 * - 'lww': one version stamped with the hybrid timestamp of its write and the writer's node id; the
 *   greater (timestamp, writer, payload) wins. Payloads are ordered so that ties are deterministic
 *   (a tombstone beats a value, as in Cassandra), so every replica picks the same winner.
 * - 'dvv': a dotted version vector set (core/clock) of siblings; concurrent writes are all kept and
 *   returned to the client, which resolves them by writing back with the read context.
 * Deletes are tombstones: payloads like values, so they replicate and merge the same way, carrying
 * the time after which they may be collected (a tombstone removed too early lets an old copy on a
 * replica that missed the delete come back).
 *
 * Guarantees: `merge` is commutative, associative and idempotent (up to `equals`), for 'dvv' on
 * states produced by `dvvWrite`/`merge` (dots never reused); `isStale(copy, merged)` is true exactly
 * when merging `merged` into `copy` would change it, i.e. when read repair has something to send.
 * Pure data: no clocks are read here (`nowMs` is passed in).
 */
import { assertActor, assertHlcTimestamp, compareHlc, dvv, type DvvSet, type HlcTimestamp, type UpdateOptions, type VersionVector } from '../../core/clock/index.js';
import { ConflictModeMismatchError, InvalidValueError } from './errors.js';
import { MAX_VALUE_BYTES } from './limits.js';

export type ConflictMode = 'lww' | 'dvv';

/** A live value; `expiresAtMs` is its TTL (Redis EX/PX), absent for a value that never expires. */
export interface LiveValue {
  readonly kind: 'value';
  readonly value: Buffer;
  readonly expiresAtMs?: number;
}

/** A delete; it may be garbage-collected once `expiresAtMs` has passed. */
export interface Tombstone {
  readonly kind: 'tombstone';
  readonly expiresAtMs: number;
}

export type Payload = LiveValue | Tombstone;

export interface LwwValue {
  readonly mode: 'lww';
  readonly timestamp: HlcTimestamp;
  /** Node id that coordinated the write: breaks timestamp ties. */
  readonly writer: string;
  readonly payload: Payload;
}

export interface DvvValue {
  readonly mode: 'dvv';
  readonly siblings: DvvSet<Payload>;
}

export type VersionedValue = LwwValue | DvvValue;

/** What a read returns to the client. */
export type ReadResult =
  | { readonly mode: 'lww'; readonly value: LiveValue | undefined; readonly timestamp: HlcTimestamp }
  | { readonly mode: 'dvv'; readonly values: readonly LiveValue[]; readonly context: VersionVector };

function assertExpiry(field: string, expiresAtMs: number): number {
  if (!Number.isSafeInteger(expiresAtMs) || expiresAtMs < 0) throw new InvalidValueError(field, expiresAtMs, 'a non-negative integer of milliseconds since the epoch');
  return expiresAtMs;
}

/** A live value, checked against MAX_VALUE_BYTES. */
export function liveValue(value: Buffer, expiresAtMs?: number): LiveValue {
  if (!Buffer.isBuffer(value)) throw new InvalidValueError('value', typeof value, 'a Buffer');
  if (value.length > MAX_VALUE_BYTES) throw new InvalidValueError('value length', value.length, `at most ${MAX_VALUE_BYTES} bytes`);
  if (expiresAtMs === undefined) return { kind: 'value', value };
  return { kind: 'value', value, expiresAtMs: assertExpiry('expiresAtMs', expiresAtMs) };
}

/** A tombstone collectable after `expiresAtMs` (typically delete time + DEFAULT_TOMBSTONE_GRACE_MS). */
export function tombstone(expiresAtMs: number): Tombstone {
  return { kind: 'tombstone', expiresAtMs: assertExpiry('expiresAtMs', expiresAtMs) };
}

/** A last-write-wins version: the write coordinated by `writer` at `timestamp`. */
export function lwwWrite(timestamp: HlcTimestamp, writer: string, payload: Payload): LwwValue {
  assertHlcTimestamp(timestamp);
  assertActor(writer);
  return { mode: 'lww', timestamp, writer, payload };
}

/**
 * A DVV write coordinated by replica `coordinator` on its current copy (undefined: none): drops the
 * siblings `context` covers (what the client read), keeps the others and adds `payload` with a new
 * dot. Throws core/clock's TooManySiblingsError past options.maxSiblings.
 */
export function dvvWrite(current: DvvValue | undefined, context: VersionVector, coordinator: string, payload: Payload, options: UpdateOptions = {}): DvvValue {
  const base = current?.siblings ?? dvv.empty<Payload>();
  return { mode: 'dvv', siblings: dvv.update(base, context, coordinator, payload, options) };
}

/** Total order of payloads, used only to break exact (timestamp, writer) ties: tombstone > value;
 * values by bytes, then no expiry > expiry, then later expiry. 0 exactly when the payloads are equal. */
export function comparePayloads(a: Payload, b: Payload): number {
  if (a.kind !== b.kind) return a.kind === 'tombstone' ? 1 : -1;
  if (a.kind === 'value' && b.kind === 'value') {
    const bytes = Buffer.compare(a.value, b.value);
    if (bytes !== 0) return bytes;
  }
  return compareExpiry(a.expiresAtMs, b.expiresAtMs);
}

function compareExpiry(a: number | undefined, b: number | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return a < b ? -1 : 1;
}

/** Total order of LWW versions: timestamp, then writer id, then payload. */
export function compareLww(a: LwwValue, b: LwwValue): number {
  const byTime = compareHlc(a.timestamp, b.timestamp);
  if (byTime !== 0) return byTime;
  if (a.writer !== b.writer) return a.writer < b.writer ? -1 : 1;
  return comparePayloads(a.payload, b.payload);
}

/** Merges two copies of one key. Throws ConflictModeMismatchError for copies of different modes. */
export function merge(a: VersionedValue, b: VersionedValue): VersionedValue {
  if (a.mode === 'lww' && b.mode === 'lww') return compareLww(a, b) >= 0 ? a : b;
  if (a.mode === 'dvv' && b.mode === 'dvv') return { mode: 'dvv', siblings: dvv.sync(a.siblings, b.siblings) };
  throw new ConflictModeMismatchError(a.mode, b.mode);
}

/** Merges any number of copies; undefined entries are missing copies. Undefined when all are missing. */
export function mergeAll(copies: readonly (VersionedValue | undefined)[]): VersionedValue | undefined {
  let merged: VersionedValue | undefined;
  for (const copy of copies) {
    if (copy !== undefined) merged = merged === undefined ? copy : merge(merged, copy);
  }
  return merged;
}

/** Structural equality: same mode, same version(s), same payloads. */
export function equals(a: VersionedValue, b: VersionedValue): boolean {
  if (a.mode === 'lww' && b.mode === 'lww') return compareLww(a, b) === 0;
  if (a.mode !== 'dvv' || b.mode !== 'dvv') return false;
  const left = a.siblings.entries;
  const right = b.siblings.entries;
  if (left.length !== right.length) return false;
  return left.every((entry, i) => {
    const other = right[i];
    if (other === undefined || other.actor !== entry.actor || other.counter !== entry.counter) return false;
    if (other.values.length !== entry.values.length) return false;
    return entry.values.every((payload, j) => {
      const otherPayload = other.values[j];
      return otherPayload !== undefined && comparePayloads(payload, otherPayload) === 0;
    });
  });
}

/** True when `copy` (undefined: the replica had none) lacks something of `merged`: read repair
 * should send `merged` to that replica. */
export function isStale(copy: VersionedValue | undefined, merged: VersionedValue): boolean {
  if (copy === undefined) return true;
  return !equals(merge(copy, merged), copy);
}

function isLive(payload: Payload, nowMs: number): payload is LiveValue {
  return payload.kind === 'value' && (payload.expiresAtMs === undefined || payload.expiresAtMs > nowMs);
}

/**
 * What a read at `nowMs` returns: for 'lww' the winner if it is a live, unexpired value; for 'dvv'
 * every live, unexpired sibling and the context to write back with (which also covers tombstones
 * and expired siblings, so the next write clears them).
 */
export function resolve(copy: VersionedValue, nowMs: number): ReadResult {
  if (copy.mode === 'lww') {
    return { mode: 'lww', value: isLive(copy.payload, nowMs) ? copy.payload : undefined, timestamp: copy.timestamp };
  }
  const live = dvv.values(copy.siblings).filter((payload): payload is LiveValue => isLive(payload, nowMs));
  return { mode: 'dvv', values: live, context: dvv.join(copy.siblings) };
}

/**
 * True when the copy holds nothing but tombstones past their expiry and values whose TTL ended more
 * than `graceMs` ago: storage may drop the key. (An expired value is kept for the grace period like a
 * tombstone, so an older copy of it elsewhere cannot come back.)
 */
export function isCollectable(copy: VersionedValue, nowMs: number, graceMs: number): boolean {
  const payloads = copy.mode === 'lww' ? [copy.payload] : dvv.values(copy.siblings);
  return payloads.every((payload) => {
    if (payload.kind === 'tombstone') return payload.expiresAtMs <= nowMs;
    return payload.expiresAtMs !== undefined && payload.expiresAtMs + graceMs <= nowMs;
  });
}
