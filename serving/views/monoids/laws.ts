/**
 * checkMonoidLaws: the laws views rely on (monoid.ts), checked on given samples. A monoid that
 * breaks one still "works" until a batch run groups deltas differently from the stream, and then
 * the merged answer silently differs from a recount, so a user monoid should pass this in its
 * tests (or at registration in dev) before it aggregates anything. Pure and deterministic: the
 * same monoid and samples always give the same violations; it proves nothing beyond the samples.
 *
 * Samples are inputs of `from` (deltas as the map function yields them); the zero is added.
 * Checked: from is idempotent on its own values; zero is an identity; combine is commutative and
 * associative (every pair and triple, so n³ combines: at most MAX_MONOID_LAW_SAMPLES samples);
 * decode inverts encode, and values that are equal encode to equal bytes.
 */
import { InvalidViewArgumentError } from '../errors.js';
import { MAX_MONOID_LAW_SAMPLES } from '../limits.js';
import type { Monoid } from './monoid.js';

export type MonoidLaw = 'from-idempotent' | 'from-clone' | 'identity' | 'commutativity' | 'associativity' | 'encoding' | 'throws';

export interface MonoidLawViolation {
  readonly law: MonoidLaw;
  /** Indexes into the samples (after from); -1 stands for the zero. */
  readonly samples: readonly number[];
  readonly detail: string;
}

/** Violations found (empty when the monoid passes on these samples); at most one per law. */
export function checkMonoidLaws<T>(monoid: Monoid<T>, samples: readonly unknown[]): MonoidLawViolation[] {
  if (samples.length > MAX_MONOID_LAW_SAMPLES) throw new InvalidViewArgumentError('law samples', samples.length, `at most ${MAX_MONOID_LAW_SAMPLES} samples (associativity checks every triple)`);
  const violations: MonoidLawViolation[] = [];
  const values: T[] = [];
  for (const [index, sample] of samples.entries()) {
    const value = attempt(violations, [index], () => monoid.from(sample));
    if (value === FAILED) return violations;
    values.push(value);
  }
  const found = new Set<MonoidLaw>();
  const report = (law: MonoidLaw, at: readonly number[], detail: string, holds: () => boolean) => {
    if (found.has(law)) return;
    const result = attempt(violations, at, holds);
    if (result === false) {
      found.add(law);
      violations.push({ law, samples: at, detail });
    } else if (result === FAILED) found.add(law);
  };
  const { zero } = monoid;
  const all = [zero, ...values];
  const indexOf = (position: number) => position - 1;
  for (const [i, a] of values.entries()) {
    report('from-idempotent', [i], 'equals(from(x), x) is false for x = from(sample)', () => monoid.equals(monoid.from(a), a));
    // Values cross shuffle files and worker messages as structured clones, which drop prototypes.
    report('from-clone', [i], 'equals(from(structuredClone(x)), x) is false: a value that crossed a shuffle or a worker message is not taken back', () => monoid.equals(monoid.from(structuredClone(a)), a));
    report('identity', [i], 'combine(zero, x) or combine(x, zero) differs from x', () => monoid.equals(monoid.combine(zero, a), a) && monoid.equals(monoid.combine(a, zero), a));
  }
  for (const [i, a] of all.entries()) {
    report('encoding', [indexOf(i)], 'decode(encode(x)) differs from x', () => monoid.equals(monoid.decode(monoid.encode(a)), a));
    for (const [j, b] of all.entries()) {
      const at = [indexOf(i), indexOf(j)];
      report('commutativity', at, 'combine(a, b) differs from combine(b, a)', () => monoid.equals(monoid.combine(a, b), monoid.combine(b, a)));
      report('encoding', at, 'a and b are equal but encode to different bytes', () => !monoid.equals(a, b) || monoid.encode(a).equals(monoid.encode(b)));
      report('encoding', at, 'combine(a, b) and combine(b, a) are equal but encode to different bytes', () => {
        const [ab, ba] = [monoid.combine(a, b), monoid.combine(b, a)];
        return !monoid.equals(ab, ba) || monoid.encode(ab).equals(monoid.encode(ba));
      });
      for (const [k, c] of all.entries()) {
        report('associativity', [...at, indexOf(k)], 'combine(combine(a, b), c) differs from combine(a, combine(b, c))', () =>
          monoid.equals(monoid.combine(monoid.combine(a, b), c), monoid.combine(a, monoid.combine(b, c))),
        );
      }
    }
  }
  return violations;
}

const FAILED = Symbol('failed');

/** Runs one check; a throw is itself a violation (views would fail the write or the read). */
function attempt<R>(violations: MonoidLawViolation[], samples: readonly number[], run: () => R): R | typeof FAILED {
  try {
    return run();
  } catch (error) {
    if (!violations.some((violation) => violation.law === 'throws')) violations.push({ law: 'throws', samples, detail: error instanceof Error ? error.message : String(error) });
    return FAILED;
  }
}
