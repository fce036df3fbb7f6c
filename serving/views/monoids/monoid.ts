/**
 * What a view aggregates with: a commutative monoid (zero, combine) plus a byte encoding and a
 * presentation for replies. Everything here is pure.
 *
 * Views rely on three laws, checked by monoids.test.ts for every monoid of the registry:
 * - associativity: combine(combine(a, b), c) equals combine(a, combine(b, c)), so a batch job may
 *   pre-aggregate in any grouping (map-side combine, realtime buckets);
 * - identity: combine(zero, a) equals a equals combine(a, zero), so an absent value is zero;
 * - commutativity: combine(a, b) equals combine(b, a), because deltas of different log partitions
 *   have no order between them, and batch ⊕ realtime may be folded in any order.
 *
 * Values are canonical (one representation per value: sorted members, no zero counts), so that
 * `equals` and `encode` agree: equal values encode to equal bytes.
 */

/** A value as a reply shows it: an integer, nothing (an empty max/min), members, or a ranking. */
export type PresentedValue =
  | { readonly kind: 'integer'; readonly value: bigint }
  | { readonly kind: 'none' }
  | { readonly kind: 'members'; readonly members: readonly string[] }
  | { readonly kind: 'ranking'; readonly entries: ReadonlyArray<readonly [string, bigint]> };

/**
 * A monoid over values of type T. Methods use method syntax on purpose: a `Monoid<bigint>` is then
 * usable where a `Monoid<unknown>` is expected (the registry hands out monoids by name).
 */
export interface Monoid<T> {
  /** Canonical spec, stored in view definitions: "sum", "max", "min", "set", "topn:10". */
  readonly spec: string;
  readonly zero: T;
  combine(left: T, right: T): T;
  equals(left: T, right: T): boolean;
  /** Caller input (a delta, or a batch value) as a canonical value; throws InvalidViewValueError. */
  from(input: unknown): T;
  encode(value: T): Buffer;
  /** Inverse of encode; throws InvalidViewValueError for bytes encode never produces. */
  decode(bytes: Buffer): T;
  present(value: T): PresentedValue;
  /** The score VIEW.TOP ranks by (higher first); absent on monoids whose values have no order,
   * undefined for a value with no score (an empty max). */
  rank?(value: T): bigint | undefined;
}

const DECIMAL = /^-?(0|[1-9][0-9]*)$/;

/** A bigint from caller input: a bigint, or a number that is a safe integer. */
export function integerInput(input: unknown): bigint | undefined {
  if (typeof input === 'bigint') return input;
  if (typeof input === 'number' && Number.isSafeInteger(input)) return BigInt(input);
  return undefined;
}

/** Strict decimal (no sign on zero, no leading zeros, no spaces), as encode writes it. */
export function parseDecimal(text: string): bigint | undefined {
  return DECIMAL.test(text) && text !== '-0' ? BigInt(text) : undefined;
}

/** Total order of strings by UTF-16 code units, the order canonical values keep. */
export function compareStrings(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
