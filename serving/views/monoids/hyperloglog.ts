/**
 * `hll` / `hll:<p>`: distinct count by HyperLogLog (Flajolet, Fusy, Gandouet, Meunier 2007), for
 * "distinct users per page" where `set` would keep every member. A sketch is 2^p one-byte
 * registers; an item's 64-bit hash picks a register with its top p bits, and the register keeps
 * the largest rank (position of the first 1 bit) seen among the remaining 64 - p bits. The
 * estimate has a relative standard error of about 1.04 / sqrt(2^p) at any cardinality.
 *
 * Combine is the register-wise max, so it is associative, commutative and idempotent, zero (all
 * registers 0) is its identity, and the sketch of a union equals the combine of the sketches:
 * batch and realtime partials merge exactly as a recount would. Counts are estimates, so a view
 * over `hll` equals a recount's *sketch*, not the true distinct count.
 *
 * The estimate is Ertl's improved one (hyperloglog-estimate.ts says why not the paper's). The
 * 64-bit hash makes a large-range correction unnecessary (Heule, Nunkesser, Hall 2013).
 */
import { InvalidViewValueError } from '../errors.js';
import { DEFAULT_HLL_PRECISION, MAX_HLL_PRECISION, MIN_HLL_PRECISION } from '../limits.js';
import { decodeRegisters, encodeRegisters } from './hyperloglog-encoding.js';
import { estimateCardinality } from './hyperloglog-estimate.js';
import { hashString64, type Hash64 } from './item-hash.js';
import type { Monoid } from './monoid.js';

const HASH_BITS = 64;

/** One monoid instance per precision, so that `monoidFromSpec('hll')` is always the same object. */
const MONOIDS = new Map<number, Monoid<HllSketch>>();

/** An immutable HyperLogLog sketch. Make one with the monoid's `from`, or `HllSketch.of`. */
export class HllSketch {
  /** Public (not #private) so that a structured clone — a shuffle file, a worker-to-worker
   * message — keeps the data; the monoid's `from` turns such a clone back into a sketch. Never
   * mutated after construction. */
  readonly ranks: Uint8Array;

  private constructor(
    readonly precision: number,
    registers: Uint8Array,
  ) {
    this.ranks = registers;
  }

  /** The sketch of some items; throws InvalidViewValueError for a non-string item. */
  static of(precision: number, items: Iterable<unknown>): HllSketch {
    checkPrecision(precision);
    const registers = new Uint8Array(2 ** precision);
    const hash: Hash64 = { high: 0, low: 0 };
    for (const item of items) {
      if (typeof item !== 'string') throw new InvalidViewValueError(hllSpec(precision), item, INPUT_EXPECTED);
      hashString64(item, hash);
      const index = hash.high >>> (32 - precision);
      const rank = rankOf(hash, precision);
      if (rank > registers[index]!) registers[index] = rank;
    }
    return new HllSketch(precision, registers);
  }

  /** Used by the byte decoding, which has validated every register; the array is not copied. */
  static adopt(precision: number, registers: Uint8Array): HllSketch {
    if (registers.length !== 2 ** precision) throw new RangeError(`${registers.length} registers for precision ${precision}`);
    return new HllSketch(precision, registers);
  }

  get registerCount(): number {
    return this.ranks.length;
  }

  register(index: number): number {
    return this.ranks[index] ?? 0;
  }

  /** The register-wise max: the sketch of the union of both sketches' items. */
  union(other: HllSketch): HllSketch {
    if (other.precision !== this.precision) throw new InvalidViewValueError(hllSpec(this.precision), `a sketch of precision ${other.precision}`, `a sketch of precision ${this.precision}`);
    const left = this.ranks;
    const right = other.ranks;
    const out = left.slice();
    for (let i = 0; i < out.length; i += 1) if (right[i]! > out[i]!) out[i] = right[i]!;
    return new HllSketch(this.precision, out);
  }

  equals(other: HllSketch): boolean {
    if (other.precision !== this.precision) return false;
    const left = this.ranks;
    const right = other.ranks;
    for (let i = 0; i < left.length; i += 1) if (left[i] !== right[i]) return false;
    return true;
  }

  /** Estimated number of distinct items (not rounded); 0 for the empty sketch. */
  estimate(): number {
    return estimateCardinality(this.ranks, maxRank(this.precision));
  }

  /** The canonical bytes (hyperloglog-encoding.ts). */
  toBytes(): Buffer {
    return encodeRegisters(this.precision, this.ranks);
  }

  /** A copy of the registers (for encodings and tests; the sketch itself stays immutable). */
  registers(): Uint8Array {
    return this.ranks.slice();
  }
}

/** Largest rank a register can hold at this precision: all 64 - p remaining bits zero, plus one. */
export function maxRank(precision: number): number {
  return HASH_BITS - precision + 1;
}

/** 1 + the leading zero bits of the hash after its top `precision` bits. */
function rankOf(hash: Hash64, precision: number): number {
  const rest = (hash.high << precision) >>> 0;
  if (rest !== 0) return Math.clz32(rest) + 1;
  return 32 - precision + Math.clz32(hash.low) + 1;
}

function checkPrecision(precision: number): void {
  if (!Number.isSafeInteger(precision) || precision < MIN_HLL_PRECISION || precision > MAX_HLL_PRECISION) {
    throw new InvalidViewValueError('hll', precision, `a precision from ${MIN_HLL_PRECISION} to ${MAX_HLL_PRECISION}`);
  }
}

const INPUT_EXPECTED = 'an item string, an iterable of item strings, or an HllSketch of the same precision';

/** Canonical spec: `hll` for the default precision, `hll:<p>` for the others. */
export function hllSpec(precision: number): string {
  return precision === DEFAULT_HLL_PRECISION ? 'hll' : `hll:${precision}`;
}

/** A sketch that went through structured clone (v8.serialize): its fields without the class. */
function isClonedSketch(input: unknown, precision: number): input is { precision: number; ranks: Uint8Array } {
  // Tag checks rather than instanceof: a clone may come from another realm (a vm context, a worker).
  if (input === null || typeof input !== 'object' || Object.prototype.toString.call(input) !== '[object Object]') return false;
  const { precision: clonedPrecision, ranks } = input as { precision?: unknown; ranks?: unknown };
  if (clonedPrecision !== precision || Object.prototype.toString.call(ranks) !== '[object Uint8Array]' || (ranks as Uint8Array).length !== 2 ** precision) return false;
  const highest = maxRank(precision);
  return (ranks as Uint8Array).every((rank) => rank <= highest);
}

function isIterable(input: unknown): input is Iterable<unknown> {
  return input !== null && typeof input === 'object' && Symbol.iterator in input;
}

/** The distinct-count monoid of one precision (one shared instance per precision). */
export function hyperLogLogMonoid(precision: number = DEFAULT_HLL_PRECISION): Monoid<HllSketch> {
  checkPrecision(precision);
  const cached = MONOIDS.get(precision);
  if (cached !== undefined) return cached;
  const spec = hllSpec(precision);
  const zero = HllSketch.of(precision, []);
  const monoid: Monoid<HllSketch> = {
    spec,
    zero,
    combine: (left, right) => (left === zero || left === right ? right : right === zero ? left : left.union(right)),
    equals: (left, right) => left === right || left.equals(right),
    from(input) {
      if (typeof input === 'string') return HllSketch.of(precision, [input]);
      if (input instanceof HllSketch) {
        if (input.precision !== precision) throw new InvalidViewValueError(spec, `a sketch of precision ${input.precision}`, INPUT_EXPECTED);
        return input;
      }
      if (isClonedSketch(input, precision)) return HllSketch.adopt(precision, Uint8Array.from(input.ranks));
      if (isIterable(input)) return HllSketch.of(precision, input);
      throw new InvalidViewValueError(spec, input, INPUT_EXPECTED);
    },
    encode: (value) => value.toBytes(),
    decode: (bytes) => HllSketch.adopt(precision, decodeRegisters(spec, precision, maxRank(precision), bytes)),
    present: (value) => ({ kind: 'integer', value: BigInt(Math.round(value.estimate())) }),
    rank: (value) => BigInt(Math.round(value.estimate())),
  };
  MONOIDS.set(precision, monoid);
  return monoid;
}
