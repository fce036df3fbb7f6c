/**
 * The default total order on keys, used by sortByKey, sortBy and RangePartitioner when the user
 * gives no ordering. Keys of different kinds compare by a fixed type rank:
 *
 *   null < boolean < number < bigint < string < Date < bytes < array < plain object < undefined
 *
 * Within a kind: false < true; numbers numerically with -0 equal to 0 and NaN after +Infinity
 * (equal to itself, as Java's Double.compare); bigints numerically; strings by Unicode code point
 * (the order of their UTF-8 bytes, as Spark's UTF8String, not JavaScript's UTF-16 `<`); Dates by
 * time; bytes (any Uint8Array, Buffer included) lexicographically by byte; arrays
 * lexicographically by element, a prefix first; plain objects as the array of their
 * [name, value] entries sorted by name.
 *
 * Guarantees: a total order (reflexive, antisymmetric, transitive) that depends only on values,
 * and compare(a, b) === 0 exactly when the key hash sees a and b as the same key, so a range and
 * a hash partitioner agree on which keys are equal. Numbers and bigints are different kinds
 * (1 and 1n differ), as they do in the key hash.
 *
 * undefined sorts last because Array.prototype.sort moves undefined elements to the end without
 * asking the comparator: so `keys.sort(defaultOrdering)` agrees with this order. Any other
 * comparator (a reversed one) meets that quirk: sort keys with sortKeys, which does not.
 */
import { UnorderableKeyError } from './errors.js';
import { MAX_ORDERING_DEPTH } from './limits.js';

/** A total order on keys: negative, zero or positive like Array.prototype.sort's comparator. */
export type Ordering<K> = (left: K, right: K) => number;

const enum Rank {
  Null,
  Boolean,
  Number,
  BigInt,
  String,
  Date,
  Bytes,
  Array,
  Object,
  Undefined,
}

function rankOf(value: unknown): Rank {
  switch (typeof value) {
    case 'undefined':
      return Rank.Undefined;
    case 'boolean':
      return Rank.Boolean;
    case 'number':
      return Rank.Number;
    case 'bigint':
      return Rank.BigInt;
    case 'string':
      return Rank.String;
    case 'object':
      if (value === null) return Rank.Null;
      if (Array.isArray(value)) return Rank.Array;
      if (value instanceof Uint8Array) return Rank.Bytes;
      if (value instanceof Date) return Rank.Date;
      if (isPlainObject(value)) return Rank.Object;
      throw new UnorderableKeyError(value.constructor.name, `a key of class ${value.constructor.name} has no default order`);
    default:
      throw new UnorderableKeyError(typeof value, `a key of type ${typeof value} has no default order`);
  }
}

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

const sign = (difference: number): number => (difference < 0 ? -1 : difference > 0 ? 1 : 0);

/** Numeric order with -0 == 0 and NaN greatest (and equal to itself). */
export function compareNumbers(left: number, right: number): number {
  if (left < right) return -1;
  if (left > right) return 1;
  if (left === right) return 0;
  return Number.isNaN(left) ? (Number.isNaN(right) ? 0 : 1) : -1;
}

/** Code point order of two strings (= byte order of their UTF-8), lone surrogates included. */
export function compareStrings(left: string, right: string): number {
  const length = Math.min(left.length, right.length);
  for (let index = 0; index < length; index++) {
    const a = left.charCodeAt(index);
    const b = right.charCodeAt(index);
    if (a === b) continue;
    // Surrogates (D800-DFFF) encode code points above FFFF, so they sort after E000-FFFF.
    return sign(fixUpSurrogate(a) - fixUpSurrogate(b));
  }
  return sign(left.length - right.length);
}

function fixUpSurrogate(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

function compareBytes(left: Uint8Array, right: Uint8Array): number {
  const length = Math.min(left.length, right.length);
  for (let index = 0; index < length; index++) {
    const difference = left[index]! - right[index]!;
    if (difference !== 0) return sign(difference);
  }
  return sign(left.length - right.length);
}

function compareArrays(left: readonly unknown[], right: readonly unknown[], depth: number): number {
  const length = Math.min(left.length, right.length);
  for (let index = 0; index < length; index++) {
    const order = compareAt(left[index], right[index], depth + 1);
    if (order !== 0) return order;
  }
  return sign(left.length - right.length);
}

function sortedEntries(value: object): unknown[] {
  return Object.keys(value)
    .sort(compareStrings)
    .map((name) => [name, (value as Record<string, unknown>)[name]]);
}

function compareAt(left: unknown, right: unknown, depth: number): number {
  if (depth > MAX_ORDERING_DEPTH) {
    throw new UnorderableKeyError('nested', `a key nests deeper than ${MAX_ORDERING_DEPTH} levels (or is cyclic)`);
  }
  const leftRank = rankOf(left);
  const rightRank = rankOf(right);
  if (leftRank !== rightRank) return sign(leftRank - rightRank);
  switch (leftRank) {
    case Rank.Undefined:
    case Rank.Null:
      return 0;
    case Rank.Boolean:
      return sign(Number(left) - Number(right));
    case Rank.Number:
      return compareNumbers(left as number, right as number);
    case Rank.BigInt:
      return (left as bigint) < (right as bigint) ? -1 : (left as bigint) > (right as bigint) ? 1 : 0;
    case Rank.String:
      return compareStrings(left as string, right as string);
    case Rank.Date:
      return compareNumbers((left as Date).getTime(), (right as Date).getTime());
    case Rank.Bytes:
      return compareBytes(left as Uint8Array, right as Uint8Array);
    case Rank.Array:
      return compareArrays(left as unknown[], right as unknown[], depth);
    case Rank.Object:
      return compareArrays(sortedEntries(left as object), sortedEntries(right as object), depth);
  }
}

/** The default total order on keys (see the module header). Throws UnorderableKeyError for keys
 * it cannot order (functions, symbols, class instances other than Date and Uint8Array, cycles). */
export function defaultOrdering(left: unknown, right: unknown): number {
  // The common cases first, without the rank dispatch (same result).
  if (typeof left === 'number' && typeof right === 'number') return compareNumbers(left, right);
  if (typeof left === 'string' && typeof right === 'string') return compareStrings(left, right);
  return compareAt(left, right, 0);
}

/** The same order reversed (for descending sorts). */
export function reverseOrdering<K>(ordering: Ordering<K>): Ordering<K> {
  return (left, right) => ordering(right, left);
}

/** `keys` sorted by `ordering`, undefined keys included (Array.prototype.sort alone would move them
 * to the end whatever the ordering says). Stable; does not modify `keys`. */
export function sortKeys<K>(keys: readonly K[], ordering: Ordering<K>): K[] {
  if (!keys.includes(undefined as K)) return [...keys].sort(ordering);
  return keys
    .map((key) => ({ key }))
    .sort((left, right) => ordering(left.key, right.key))
    .map((boxed) => boxed.key);
}
