/**
 * Rankings (Storm's Rankings and Rankable), pure: the top `maxSize` objects by count. Updating with
 * an object already ranked replaces its count (a newer count of the same window, not an increment);
 * after every update only the top `maxSize` remain.
 *
 * Order is total — count descending, then object ascending — so ties at the cut are decided the
 * same way in every task, and the top-N of merged rankings equals the top-N of the union of what
 * they ranked (the property the total rankings bolt relies on).
 *
 * Ranked objects are primitives (a word, an id): they are Map keys, and tuple values may be
 * copied between tasks, so identity-keyed objects would never match their own copies. Rankings
 * travel between bolts as plain arrays of { object, count } (toArray / Rankings.from), which any
 * copy or serialisation keeps intact.
 */
import { checkInteger, InvalidTupleValueError } from './errors.js';
import { DEFAULT_TOP_N, MAX_TOP_N } from './limits.js';

export type RankableObject = string | number | bigint | boolean;

export interface Rankable {
  readonly object: RankableObject;
  readonly count: number;
}

const TYPE_ORDER = ['bigint', 'boolean', 'number', 'string'];

function compareObjects(a: RankableObject, b: RankableObject): number {
  if (typeof a !== typeof b) return TYPE_ORDER.indexOf(typeof a) - TYPE_ORDER.indexOf(typeof b);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The rank order: higher count first, ties by object ascending. */
export function compareRankables(a: Rankable, b: Rankable): number {
  return b.count - a.count || compareObjects(a.object, b.object);
}

export function isRankableObject(value: unknown): value is RankableObject {
  return typeof value === 'string' || typeof value === 'bigint' || typeof value === 'boolean' || (typeof value === 'number' && !Number.isNaN(value));
}

/** Checks a value received in a tuple is a Rankable; `bolt` and `field` name it in the error. */
export function toRankable(bolt: string, field: string, value: unknown): Rankable {
  const candidate = value as Partial<Rankable> | null;
  if (typeof candidate !== 'object' || candidate === null || !isRankableObject(candidate.object) || typeof candidate.count !== 'number' || !Number.isFinite(candidate.count)) {
    throw new InvalidTupleValueError(bolt, field, value, 'a { object: string | number | bigint | boolean, count: finite number }');
  }
  return { object: candidate.object, count: candidate.count };
}

export class Rankings {
  private readonly counts = new Map<RankableObject, number>();

  constructor(readonly maxSize = DEFAULT_TOP_N) {
    checkInteger('Rankings', 'maxSize', maxSize, 1, MAX_TOP_N);
  }

  static from(items: Iterable<Rankable>, maxSize = DEFAULT_TOP_N): Rankings {
    const rankings = new Rankings(maxSize);
    for (const item of items) rankings.updateWith(item);
    return rankings;
  }

  get size(): number {
    return this.counts.size;
  }

  /** Adds `item` or replaces the count of its object, then keeps only the top maxSize. */
  updateWith(item: Rankable): void {
    this.counts.set(item.object, item.count);
    if (this.counts.size > this.maxSize) this.counts.delete(this.lowest().object);
  }

  /** Updates with every item of `other`. */
  mergeWith(other: Rankings | Iterable<Rankable>): void {
    const items = other instanceof Rankings ? other.toArray() : other;
    for (const item of items) this.updateWith(item);
  }

  /** Drops objects whose count is 0 (reported once by the window counter when they expire). */
  pruneZeroCounts(): void {
    for (const [object, count] of this.counts) if (count === 0) this.counts.delete(object);
  }

  countOf(object: RankableObject): number | undefined {
    return this.counts.get(object);
  }

  /** The ranked items, best first, as fresh plain objects (safe to emit). */
  toArray(): Rankable[] {
    return [...this.counts].map(([object, count]) => ({ object, count })).sort(compareRankables);
  }

  copy(): Rankings {
    return Rankings.from(this.toArray(), this.maxSize);
  }

  private lowest(): Rankable {
    let lowest: Rankable | undefined;
    for (const [object, count] of this.counts) {
      const item = { object, count };
      if (lowest === undefined || compareRankables(item, lowest) > 0) lowest = item;
    }
    if (lowest === undefined) throw new RangeError('lowest() of empty rankings'); // unreachable: called only when over maxSize
    return lowest;
  }
}
