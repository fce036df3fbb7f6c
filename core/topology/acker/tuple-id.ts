/**
 * Tuple and edge ids of the at-least-once machinery: random unsigned 64-bit integers as bigint,
 * like Storm's random `long` message ids.
 *
 * Guarantees:
 * - every id is in 1..2^64-1; zero is never handed out, because zero is the acker's "tree done"
 *   value and an edge id of zero would vanish from the XOR;
 * - ids are uniform over that range given a uniform source, so a tree completes early only by a
 *   64-bit collision (about 2^-64 per ack);
 * - the random source is injectable, so tests get deterministic ids.
 */
import { randomFillSync } from 'node:crypto';
import { BrokenRandomSourceError, InvalidTupleIdError, InvalidXorValueError } from './errors.js';
import { MAX_TUPLE_ID, MAX_ZERO_ID_REDRAWS, TUPLE_ID_BATCH_SIZE } from './limits.js';

/** A root or edge id: a bigint in 1..2^64-1. */
export type TupleId = bigint;

/** Fills `target` with random 64-bit values, like `crypto.randomFillSync`. */
export type RandomSource = (target: BigUint64Array) => void;

/** The default source: the operating system's CSPRNG. */
export const cryptoRandomSource: RandomSource = (target) => {
  randomFillSync(target);
};

/** Returns a function that draws a fresh tuple id per call. Draws `TUPLE_ID_BATCH_SIZE` values
 * from `random` at a time; zeros are skipped. */
export function createTupleIdGenerator(random: RandomSource = cryptoRandomSource): () => TupleId {
  const batch = new BigUint64Array(TUPLE_ID_BATCH_SIZE);
  let next = batch.length;
  let zerosInARow = 0;
  return function nextTupleId(): TupleId {
    for (;;) {
      if (next === batch.length) {
        batch.fill(0n);
        random(batch);
        next = 0;
      }
      const value = batch[next++] ?? 0n;
      if (value !== 0n) {
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

/** True when `value` is a valid tuple id (bigint in 1..2^64-1). */
export function isTupleId(value: unknown): value is TupleId {
  return typeof value === 'bigint' && value > 0n && value <= MAX_TUPLE_ID;
}

export function assertTupleId(value: unknown): asserts value is TupleId {
  if (!isTupleId(value)) throw new InvalidTupleIdError(value);
}

/** True when `value` may be an XOR of tuple ids (bigint in 0..2^64-1). */
export function isXorValue(value: unknown): value is bigint {
  return typeof value === 'bigint' && value >= 0n && value <= MAX_TUPLE_ID;
}

export function assertXorValue(value: unknown): asserts value is bigint {
  if (!isXorValue(value)) throw new InvalidXorValueError(value);
}

/** XOR of ids: the spout's initial value (its edges) or a bolt's ack delta (input edge plus the
 * edges of the tuples it anchored to that input). Zero for no ids. */
export function xorTupleIds(ids: Iterable<TupleId>): bigint {
  let result = 0n;
  for (const id of ids) {
    assertTupleId(id);
    result ^= id;
  }
  return result;
}
