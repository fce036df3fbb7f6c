/**
 * Hybrid logical clock (Kulkarni, Demirbas et al., "Logical Physical Clocks", 2014).
 *
 * A timestamp is {wallMs, logical}: wallMs is the largest physical time this node has heard of,
 * logical orders events that share it. Guarantees:
 * - `now()` and `update()` return strictly increasing timestamps, even when the physical clock
 *   stands still or steps backwards;
 * - `update(received)` returns a timestamp greater than `received`, so e → f (happened-before)
 *   implies ts(e) < ts(f);
 * - wallMs never exceeds the physical clock by more than the drift limit: a received timestamp
 *   further ahead is refused (ClockDriftExceededError) and leaves the clock untouched, so one node
 *   with a broken clock cannot drag the cluster into the future.
 * Pure: the physical clock is injected, nothing here reads the system time.
 *
 * Encodings: 12 bytes (u64 wallMs, u32 logical, big-endian) and 24 lowercase hex characters; both
 * sort bytewise / lexicographically in timestamp order.
 */
import {
  ClockDriftExceededError,
  ClockInvariantError,
  InvalidPhysicalTimeError,
  InvalidTimestampError,
  LogicalCounterOverflowError,
} from './errors.js';
import { DEFAULT_HLC_MAX_DRIFT_MS, HLC_ENCODED_BYTES, HLC_STRING_LENGTH, MAX_HLC_LOGICAL, MAX_HLC_WALL_MS } from './limits.js';

export interface HlcTimestamp {
  readonly wallMs: number;
  readonly logical: number;
}

/** Milliseconds since the epoch; `Date.now` in production, a fake in tests. */
export type PhysicalClockMs = () => number;

export interface HybridLogicalClockOptions {
  readonly physicalClockMs: PhysicalClockMs;
  /** Furthest a received timestamp may run ahead of the physical clock. Default DEFAULT_HLC_MAX_DRIFT_MS. */
  readonly maxDriftMs?: number;
  /** Last timestamp issued before a restart (persisted by the caller), so time never goes back. */
  readonly initial?: HlcTimestamp;
}

export const HLC_ZERO: HlcTimestamp = Object.freeze({ wallMs: 0, logical: 0 });

export class HybridLogicalClock {
  readonly maxDriftMs: number;
  readonly #physicalClockMs: PhysicalClockMs;
  #last: HlcTimestamp;

  constructor(options: HybridLogicalClockOptions) {
    const maxDriftMs = options.maxDriftMs ?? DEFAULT_HLC_MAX_DRIFT_MS;
    if (!Number.isSafeInteger(maxDriftMs) || maxDriftMs < 0) {
      throw new RangeError(`maxDriftMs must be a non-negative integer number of milliseconds, got ${maxDriftMs}`);
    }
    this.maxDriftMs = maxDriftMs;
    this.#physicalClockMs = options.physicalClockMs;
    this.#last = options.initial === undefined ? HLC_ZERO : assertHlcTimestamp(options.initial);
  }

  /** The last timestamp issued (HLC_ZERO before the first event). */
  get last(): HlcTimestamp {
    return this.#last;
  }

  /** Timestamp for a local or send event. */
  now(): HlcTimestamp {
    const physicalMs = this.#readPhysical();
    const last = this.#last;
    const next = physicalMs > last.wallMs ? { wallMs: physicalMs, logical: 0 } : { wallMs: last.wallMs, logical: increment(last) };
    return this.#issue(next);
  }

  /** Timestamp for receiving a message stamped `received`; always greater than `received`. */
  update(received: HlcTimestamp): HlcTimestamp {
    assertHlcTimestamp(received);
    const physicalMs = this.#readPhysical();
    if (received.wallMs - physicalMs > this.maxDriftMs) {
      throw new ClockDriftExceededError(received.wallMs, physicalMs, this.maxDriftMs);
    }
    const last = this.#last;
    const wallMs = Math.max(last.wallMs, received.wallMs, physicalMs);
    let logical: number;
    if (wallMs === last.wallMs && wallMs === received.wallMs) {
      logical = increment(last.logical >= received.logical ? last : received);
    } else if (wallMs === last.wallMs) {
      logical = increment(last);
    } else if (wallMs === received.wallMs) {
      logical = increment(received);
    } else {
      logical = 0;
    }
    return this.#issue({ wallMs, logical });
  }

  #readPhysical(): number {
    const raw = this.#physicalClockMs();
    const physicalMs = Math.floor(raw);
    if (!Number.isSafeInteger(physicalMs) || physicalMs < 0) throw new InvalidPhysicalTimeError(raw);
    return physicalMs;
  }

  #issue(next: HlcTimestamp): HlcTimestamp {
    if (compareHlc(next, this.#last) <= 0) {
      throw new ClockInvariantError('timestamps strictly increase', { next: formatHlc(next), last: formatHlc(this.#last) });
    }
    this.#last = Object.freeze(next);
    return this.#last;
  }
}

function increment(timestamp: HlcTimestamp): number {
  if (timestamp.logical >= MAX_HLC_LOGICAL) throw new LogicalCounterOverflowError(timestamp.wallMs);
  return timestamp.logical + 1;
}

/** Throws InvalidTimestampError unless both fields are integers in range; returns the timestamp. */
export function assertHlcTimestamp(value: HlcTimestamp): HlcTimestamp {
  if (typeof value !== 'object' || value === null) throw new InvalidTimestampError(value, 'not an object');
  const { wallMs, logical } = value;
  if (!Number.isSafeInteger(wallMs) || wallMs < 0 || wallMs > MAX_HLC_WALL_MS) {
    throw new InvalidTimestampError(value, `wallMs ${wallMs} is not an integer in [0, ${MAX_HLC_WALL_MS}]`);
  }
  if (!Number.isInteger(logical) || logical < 0 || logical > MAX_HLC_LOGICAL) {
    throw new InvalidTimestampError(value, `logical ${logical} is not an integer in [0, ${MAX_HLC_LOGICAL}]`);
  }
  return value;
}

/** Total order: by wallMs, then logical. Returns -1, 0 or 1. */
export function compareHlc(a: HlcTimestamp, b: HlcTimestamp): -1 | 0 | 1 {
  if (a.wallMs !== b.wallMs) return a.wallMs < b.wallMs ? -1 : 1;
  if (a.logical !== b.logical) return a.logical < b.logical ? -1 : 1;
  return 0;
}

/** The later of two timestamps. */
export function maxHlc(a: HlcTimestamp, b: HlcTimestamp): HlcTimestamp {
  return compareHlc(a, b) >= 0 ? a : b;
}

const TWO_POW_32 = 0x1_0000_0000;

/** Writes the 12-byte form into `target` at `offset` (a new buffer by default) and returns `target`. */
export function encodeHlc(timestamp: HlcTimestamp, target: Buffer = Buffer.alloc(HLC_ENCODED_BYTES), offset = 0): Buffer {
  assertHlcTimestamp(timestamp);
  if (offset < 0 || offset + HLC_ENCODED_BYTES > target.length) {
    throw new RangeError(`need ${HLC_ENCODED_BYTES} bytes at offset ${offset} of a ${target.length}-byte buffer`);
  }
  target.writeUInt32BE(Math.floor(timestamp.wallMs / TWO_POW_32), offset);
  target.writeUInt32BE(timestamp.wallMs % TWO_POW_32, offset + 4);
  target.writeUInt32BE(timestamp.logical, offset + 8);
  return target;
}

/** Reads the 12-byte form at `offset`. */
export function decodeHlc(bytes: Uint8Array, offset = 0): HlcTimestamp {
  if (!Number.isInteger(offset) || offset < 0 || offset + HLC_ENCODED_BYTES > bytes.length) {
    throw new InvalidTimestampError(bytes, `need ${HLC_ENCODED_BYTES} bytes at offset ${offset}, have ${bytes.length - offset}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, HLC_ENCODED_BYTES);
  const wallMs = view.getUint32(0) * TWO_POW_32 + view.getUint32(4);
  const timestamp = { wallMs, logical: view.getUint32(8) };
  if (!Number.isSafeInteger(wallMs)) throw new InvalidTimestampError(timestamp, `wallMs exceeds ${MAX_HLC_WALL_MS}`);
  return Object.freeze(timestamp);
}

/** 24 lowercase hex characters; lexicographic order is timestamp order. */
export function hlcToString(timestamp: HlcTimestamp): string {
  return encodeHlc(timestamp).toString('hex');
}

const HLC_STRING_PATTERN = new RegExp(`^[0-9a-f]{${HLC_STRING_LENGTH}}$`);

/** Parses the form of hlcToString. */
export function hlcFromString(text: string): HlcTimestamp {
  if (typeof text !== 'string' || !HLC_STRING_PATTERN.test(text)) {
    throw new InvalidTimestampError(text, `expected ${HLC_STRING_LENGTH} lowercase hex characters`);
  }
  return decodeHlc(Buffer.from(text, 'hex'));
}

/** Human-readable form for logs: `wallMs.logical`. */
export function formatHlc(timestamp: HlcTimestamp): string {
  return `${timestamp.wallMs}.${timestamp.logical}`;
}
