/**
 * The monoids a view may be defined with, by spec: `sum`, `max`, `min`, `set`, `topn:<N>`.
 * Specs are stored in view definitions, so a spec must keep meaning the same thing forever: add
 * new monoids under new names, never change one.
 */
import { UnknownMonoidError } from '../errors.js';
import { MAX_TOPN_ITEMS } from '../limits.js';
import { maxMonoid, minMonoid } from './extremum.js';
import type { Monoid } from './monoid.js';
import { setUnionMonoid } from './set-union.js';
import { sumMonoid } from './sum.js';
import { topByCountMonoid } from './top-by-count.js';

/** What a user may type, for error messages and help. */
export const MONOID_SPECS = `sum, max, min, set, topn:<N> (N from 1 to ${MAX_TOPN_ITEMS})`;

const FIXED: ReadonlyMap<string, Monoid<unknown>> = new Map<string, Monoid<unknown>>([
  ['sum', sumMonoid],
  ['max', maxMonoid],
  ['min', minMonoid],
  ['set', setUnionMonoid],
]);

const TOPN = /^topn:([1-9][0-9]{0,5})$/;

/** The monoid of a spec (case-insensitive); throws UnknownMonoidError. */
export function monoidFromSpec(spec: string): Monoid<unknown> {
  const normalized = spec.toLowerCase();
  const fixed = FIXED.get(normalized);
  if (fixed !== undefined) return fixed;
  const topn = TOPN.exec(normalized);
  if (topn !== null && Number(topn[1]) <= MAX_TOPN_ITEMS) return topByCountMonoid(Number(topn[1]));
  throw new UnknownMonoidError(spec, MONOID_SPECS);
}
