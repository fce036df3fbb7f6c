/**
 * The monoids a view may be defined with, by spec: `sum`, `max`, `min`, `set`, `topn:<N>`, `hll`,
 * `hll:<p>`, and the user's own `user:<name>` ones. Specs are stored in view definitions, so a
 * spec must keep meaning the same thing forever: add new monoids under new names, never change one.
 *
 * User monoids live in a table of this process, filled by registerMonoid. That is global mutable
 * state on purpose: a view definition read from the keyspace names its monoid by spec only, and
 * every component of the process (catalog, writers, reader, RESP commands) must resolve it the
 * same way. The `user:` prefix keeps them from ever shadowing a built-in spec and tells anyone
 * reading a definition that the code lives outside Barista.
 */
import { InvalidViewArgumentError, MonoidAlreadyRegisteredError, UnknownMonoidError } from '../errors.js';
import { DEFAULT_HLL_PRECISION, MAX_HLL_PRECISION, MAX_TOPN_ITEMS, MAX_USER_MONOID_NAME_CHARS, MIN_HLL_PRECISION } from '../limits.js';
import { maxMonoid, minMonoid } from './extremum.js';
import { hyperLogLogMonoid } from './hyperloglog.js';
import type { Monoid } from './monoid.js';
import { setUnionMonoid } from './set-union.js';
import { sumMonoid } from './sum.js';
import { topByCountMonoid } from './top-by-count.js';

/** What a user may type, for error messages and help. */
export const MONOID_SPECS =
  `sum, max, min, set, topn:<N> (N from 1 to ${MAX_TOPN_ITEMS}), ` +
  `hll or hll:<p> (distinct count, p from ${MIN_HLL_PRECISION} to ${MAX_HLL_PRECISION}, default ${DEFAULT_HLL_PRECISION}), ` +
  `user:<name> (registered with registerMonoid)`;

const FIXED: ReadonlyMap<string, Monoid<unknown>> = new Map<string, Monoid<unknown>>([
  ['sum', sumMonoid],
  ['max', maxMonoid],
  ['min', minMonoid],
  ['set', setUnionMonoid],
]);

const TOPN = /^topn:([1-9][0-9]{0,5})$/;
const HLL = /^hll(?::([1-9][0-9]?))?$/;
const USER_PREFIX = 'user:';
export const USER_MONOID_SPEC = new RegExp(`^user:[a-z0-9_.-]{1,${MAX_USER_MONOID_NAME_CHARS}}$`);
const MONOID_METHODS = ['combine', 'equals', 'from', 'encode', 'decode', 'present'] as const;

const userMonoids = new Map<string, Monoid<unknown>>();

/** The monoid of a spec (case-insensitive); throws UnknownMonoidError. */
export function monoidFromSpec(spec: string): Monoid<unknown> {
  const normalized = spec.toLowerCase();
  const fixed = FIXED.get(normalized) ?? userMonoids.get(normalized);
  if (fixed !== undefined) return fixed;
  const topn = TOPN.exec(normalized);
  if (topn !== null && Number(topn[1]) <= MAX_TOPN_ITEMS) return topByCountMonoid(Number(topn[1]));
  const hll = HLL.exec(normalized);
  if (hll !== null) {
    const precision = hll[1] === undefined ? DEFAULT_HLL_PRECISION : Number(hll[1]);
    if (precision >= MIN_HLL_PRECISION && precision <= MAX_HLL_PRECISION) return hyperLogLogMonoid(precision);
  }
  if (normalized.startsWith(USER_PREFIX)) throw new UnknownMonoidError(spec, MONOID_SPECS, unregisteredHint());
  throw new UnknownMonoidError(spec, MONOID_SPECS);
}

function unregisteredHint(): string {
  const registered = [...userMonoids.keys()].sort();
  return (
    'a user monoid must be registered with registerMonoid in every process that reads or writes the view ' +
    '(stream workers, batch jobs, and serving nodes answering VIEW.GET or VIEW.TOP); ' +
    `registered in this process: ${registered.length === 0 ? 'none' : registered.join(', ')}`
  );
}

/**
 * Makes a user monoid available to views in this process under its spec, `user:<name>` (lower-case
 * letters, digits, `_ . -`). Registering the same object again is a no-op, so a module may register
 * at import; another object under a registered spec throws MonoidAlreadyRegisteredError.
 * checkMonoidLaws (laws.ts) catches a monoid that breaks the laws views rely on; call it in tests.
 */
export function registerMonoid<T>(monoid: Monoid<T>): void {
  const spec: unknown = (monoid as { spec?: unknown } | null)?.spec;
  if (typeof spec !== 'string' || !USER_MONOID_SPEC.test(spec)) {
    throw new InvalidViewArgumentError('monoid spec', spec, `user:<name>, the name 1 to ${MAX_USER_MONOID_NAME_CHARS} lower-case letters, digits, _ . or -`);
  }
  const missing = MONOID_METHODS.filter((method) => typeof monoid[method] !== 'function');
  if (missing.length > 0) throw new InvalidViewArgumentError(`monoid ${spec}`, missing.join(', '), 'an object with combine, equals, from, encode, decode and present functions');
  if (monoid.rank !== undefined && typeof monoid.rank !== 'function') throw new InvalidViewArgumentError(`monoid ${spec}`, 'rank', 'rank to be a function or absent');
  const existing = userMonoids.get(spec);
  if (existing === (monoid as Monoid<unknown>)) return;
  if (existing !== undefined) throw new MonoidAlreadyRegisteredError(spec);
  userMonoids.set(spec, monoid as Monoid<unknown>);
}
