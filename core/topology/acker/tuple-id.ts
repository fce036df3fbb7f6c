/**
 * Tuple and edge ids of the at-least-once machinery: random 52-bit unsigned integers held in
 * JavaScript numbers (see TUPLE_ID_BITS for why not 64-bit bigints, as Storm's `long`s).
 *
 * Guarantees:
 * - every id is a safe integer in 1..2^52-1; zero is never handed out, because zero is the
 *   acker's "tree done" value and an edge id of zero would vanish from the XOR;
 * - ids are uniform over that range given a uniform source, so a tree completes early only by a
 *   52-bit collision (about 2^-52 per ack);
 * - XOR of ids (`xorIds`) is exact and allocates nothing;
 * - the random source is injectable, so tests get deterministic ids.
 */
import { randomFillSync } from 'node:crypto';
import { BrokenRandomSourceError, InvalidTupleIdError, InvalidXorValueError } from './errors.js';
import { MAX_TUPLE_ID, MAX_ZERO_ID_REDRAWS, TUPLE_ID_BATCH_SIZE, TUPLE_ID_HIGH_MASK } from './limits.js';

/** A root or edge id: an integer in 1..2^52-1. */
export type TupleId = number;

/** Fills `target` with random 32-bit values, like `crypto.randomFillSync`. */
export type RandomSource = (target: Uint32Array) => void;

const TWO_POW_32 = 2 ** 32;

/** a XOR b for ids and XOR values (integers in 0..2^52-1), exactly, without allocating. */
export function xorIds(a: number, b: number): number {
  // ToInt32 of an integer below 2^53 is its low 32 bits; of a / 2^32, its high bits.
  const high = ((a / TWO_POW_32) ^ (b / TWO_POW_32)) & TUPLE_ID_HIGH_MASK;
  const low = (a ^ b) >>> 0;
  return high * TWO_POW_32 + low;
}

/** The default source: the operating system's CSPRNG. */
export const cryptoRandomSource: RandomSource = (target) => {
  randomFillSync(target);
};

/** Returns a function that draws a fresh tuple id per call. Draws `TUPLE_ID_BATCH_SIZE` values
 * from `random` at a time; zeros are skipped. */
export function createTupleIdGenerator(random: RandomSource = cryptoRandomSource): () => TupleId {
  const batch = new Uint32Array(TUPLE_ID_BATCH_SIZE * 2);
  let next = batch.length;
  let zerosInARow = 0;
  return function nextTupleId(): TupleId {
    for (;;) {
      if (next === batch.length) {
        batch.fill(0);
        random(batch);
        next = 0;
      }
      const high = (batch[next++] ?? 0) & TUPLE_ID_HIGH_MASK;
      const value = high * TWO_POW_32 + (batch[next++] ?? 0);
      if (value !== 0) {
        zerosInARow = 0;
        return value;
      }
      zerosInARow++;
      if (zerosInARow > MAX_ZERO_ID_REDRAWS) {
        throw new BrokenRandomSourceError(`returned ${zerosInARow} zeros in a row`);
      }
    }
  };
}

/** True when `value` is a valid tuple id (integer in 1..2^52-1). */
export function isTupleId(value: unknown): value is TupleId {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= MAX_TUPLE_ID;
}

export function assertTupleId(value: unknown): asserts value is TupleId {
  if (!isTupleId(value)) throw new InvalidTupleIdError(value);
}

/** True when `value` may be an XOR of tuple ids (integer in 0..2^52-1). */
export function isXorValue(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_TUPLE_ID;
}

export function assertXorValue(value: unknown): asserts value is number {
  if (!isXorValue(value)) throw new InvalidXorValueError(value);
}

/** XOR of ids: the spout's initial value (its edges) or a bolt's ack delta (input edge plus the
 * edges of the tuples it anchored to that input). Zero for no ids. */
export function xorTupleIds(ids: Iterable<TupleId>): number {
  let result = 0;
  for (const id of ids) {
    assertTupleId(id);
    result = xorIds(result, id);
  }
  return result;
}
