/**
 * `topn:<N>`: counts per item (hashtags per hour, words per author), shown as the N items with
 * the highest counts. Every item's count is kept exactly and N applies only when a value is
 * presented: truncating each partial value to N items would not be associative (an item cut from
 * one partial loses its count when partials merge), and a view must equal a recount. The stored
 * value is bounded by MAX_ENCODED_VALUE_BYTES instead.
 *
 * Canonical form: a map without zero counts (negative deltas may cancel an item out), encoded as
 * a JSON array of [item, "count"] pairs sorted by item.
 */
import { InvalidViewValueError } from '../errors.js';
import { MAX_TOPN_ITEMS } from '../limits.js';
import { compareStrings, integerInput, parseDecimal, type Monoid } from './monoid.js';

/** Count per item; never holds a zero count. */
export type Counts = ReadonlyMap<string, bigint>;

const EXPECTED = 'an item string, an array of item strings (each counts 1), or a Map / object of item → integer count';

function add(into: Map<string, bigint>, item: string, count: bigint): void {
  const total = (into.get(item) ?? 0n) + count;
  if (total === 0n) into.delete(item);
  else into.set(item, total);
}

function countsFrom(input: unknown): Counts {
  const counts = new Map<string, bigint>();
  const bad = () => new InvalidViewValueError('topn', input, EXPECTED);
  if (typeof input === 'string') counts.set(input, 1n);
  else if (Array.isArray(input)) {
    for (const item of input) {
      if (typeof item !== 'string') throw bad();
      add(counts, item, 1n);
    }
  } else if (input !== null && typeof input === 'object') {
    // A tag check rather than instanceof: a Map cloned in another realm (a vm context, a worker) is still one.
    const entries = Object.prototype.toString.call(input) === '[object Map]' ? [...(input as Map<unknown, unknown>)] : Object.entries(input);
    for (const [item, count] of entries) {
      const value = integerInput(count);
      if (typeof item !== 'string' || value === undefined) throw bad();
      add(counts, item, value);
    }
  } else throw bad();
  return counts;
}

/** The N items with the highest counts, ties by item. */
export function topItems(counts: Counts, n: number): Array<readonly [string, bigint]> {
  const entries = [...counts];
  entries.sort(([itemA, countA], [itemB, countB]) => (countA !== countB ? (countA > countB ? -1 : 1) : compareStrings(itemA, itemB)));
  return entries.slice(0, n);
}

export function topByCountMonoid(n: number): Monoid<Counts> {
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_TOPN_ITEMS) throw new InvalidViewValueError('topn', n, `an N from 1 to ${MAX_TOPN_ITEMS}`);
  const spec = `topn:${n}`;
  return {
    spec,
    zero: new Map(),
    combine(left, right) {
      if (left.size === 0) return right;
      if (right.size === 0) return left;
      const [larger, smaller] = left.size >= right.size ? [left, right] : [right, left];
      const out = new Map(larger);
      for (const [item, count] of smaller) add(out, item, count);
      return out;
    },
    equals: (left, right) => left.size === right.size && [...left].every(([item, count]) => right.get(item) === count),
    from: countsFrom,
    encode(value) {
      const entries = [...value].sort(([a], [b]) => compareStrings(a, b));
      return Buffer.from(JSON.stringify(entries.map(([item, count]) => [item, count.toString()])));
    },
    decode(bytes) {
      const bad = () => new InvalidViewValueError(spec, bytes.toString().slice(0, 100), 'a JSON array of [item, "count"] pairs');
      let parsed: unknown;
      try {
        parsed = JSON.parse(bytes.toString());
      } catch {
        throw bad();
      }
      if (!Array.isArray(parsed)) throw bad();
      const counts = new Map<string, bigint>();
      for (const pair of parsed) {
        const count = Array.isArray(pair) && typeof pair[1] === 'string' ? parseDecimal(pair[1]) : undefined;
        if (count === undefined || count === 0n || typeof pair[0] !== 'string' || counts.has(pair[0])) throw bad();
        counts.set(pair[0], count);
      }
      return counts;
    },
    present: (value) => ({ kind: 'ranking', entries: topItems(value, n) }),
  };
}
