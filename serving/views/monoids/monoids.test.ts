import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { InvalidViewArgumentError, InvalidViewValueError, MonoidAlreadyRegisteredError, UnknownMonoidError } from '../errors.js';
import { maxMonoid, minMonoid } from './extremum.js';
import { hyperLogLogMonoid, type HllSketch } from './hyperloglog.js';
import { checkMonoidLaws } from './laws.js';
import type { Monoid } from './monoid.js';
import { MONOID_SPECS, monoidFromSpec, registerMonoid } from './registry.js';
import { setUnionMonoid } from './set-union.js';
import { sumMonoid } from './sum.js';
import { topByCountMonoid } from './top-by-count.js';

/** A user monoid as a user would write one: bitwise OR of non-negative integers (feature flags
 * seen per user), encoded as hex. */
const bitwiseOrMonoid: Monoid<bigint> = {
  spec: 'user:test.bitwise-or',
  zero: 0n,
  combine: (left, right) => left | right,
  equals: (left, right) => left === right,
  from(input) {
    if (typeof input !== 'bigint' || input < 0n) throw new InvalidViewValueError('user:test.bitwise-or', input, 'a non-negative bigint');
    return input;
  },
  encode: (value) => Buffer.from(value.toString(16)),
  decode(bytes) {
    const text = bytes.toString('latin1');
    if (!/^(0|[1-9a-f][0-9a-f]*)$/.test(text)) throw new InvalidViewValueError('user:test.bitwise-or', text, 'lower-case hex without leading zeros');
    return BigInt(`0x${text}`);
  },
  present: (value) => ({ kind: 'integer', value }),
};
registerMonoid(bitwiseOrMonoid);

const member = fc.string({ maxLength: 4 });
const hll4 = hyperLogLogMonoid(4);
const hll12 = hyperLogLogMonoid(12);
const cases: Array<[string, Monoid<unknown>, fc.Arbitrary<unknown>]> = [
  ['sum', sumMonoid, fc.bigInt()],
  ['max', maxMonoid, fc.option(fc.bigInt(), { nil: null })],
  ['min', minMonoid, fc.option(fc.bigInt(), { nil: null })],
  ['set', setUnionMonoid, fc.array(member, { maxLength: 8 }).map((members) => setUnionMonoid.from(members))],
  ['topn:3', topByCountMonoid(3), fc.array(fc.tuple(member, fc.bigInt({ min: -3n, max: 3n })), { maxLength: 8 }).map((entries) => topByCountMonoid(3).from(new Map(entries)))],
  // p = 4 (16 registers) so that random sketches cross from the sparse to the dense encoding.
  ['hll:4', hll4, fc.array(member, { maxLength: 12 }).map((items) => hll4.from(items))],
  ['hll', hll12, fc.array(fc.string({ maxLength: 8 }), { maxLength: 40 }).map((items) => hll12.from(items))],
  ['user:test.bitwise-or', monoidFromSpec('user:test.bitwise-or'), fc.bigInt({ min: 0n, max: 2n ** 70n })],
];

describe.each(cases)('monoid %s (laws)', (_name, monoid, value) => {
  it('is associative', () => {
    fc.assert(fc.property(value, value, value, (a, b, c) => monoid.equals(monoid.combine(monoid.combine(a, b), c), monoid.combine(a, monoid.combine(b, c)))));
  });

  it('has zero as identity on both sides', () => {
    fc.assert(fc.property(value, (a) => monoid.equals(monoid.combine(monoid.zero, a), a) && monoid.equals(monoid.combine(a, monoid.zero), a)));
  });

  it('is commutative (views fold partitions in no particular order)', () => {
    fc.assert(fc.property(value, value, (a, b) => monoid.equals(monoid.combine(a, b), monoid.combine(b, a))));
  });

  it('takes its own values as input unchanged (a delta made by from may be passed to from again)', () => {
    fc.assert(fc.property(value, (a) => monoid.equals(monoid.from(a), a)));
  });

  it('takes back its values after a structured clone (shuffle files, worker messages)', () => {
    fc.assert(fc.property(value, (a) => monoid.equals(monoid.from(structuredClone(a)), a)));
  });

  it('passes checkMonoidLaws on sampled values', () => {
    fc.assert(fc.property(fc.array(value, { maxLength: 4 }), (samples) => checkMonoidLaws(monoid, samples).length === 0), { numRuns: 20 });
  });

  it('decodes what it encodes, and equal values encode to equal bytes', () => {
    fc.assert(
      fc.property(value, value, (a, b) => {
        expect(monoid.equals(monoid.decode(monoid.encode(a)), a)).toBe(true);
        const ab = monoid.combine(a, b);
        expect(monoid.encode(ab).equals(monoid.encode(monoid.combine(b, a)))).toBe(true);
      }),
    );
  });

  it('refuses garbage with InvalidViewValueError, never another error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (bytes) => {
        try {
          const decoded = monoid.decode(Buffer.from(bytes));
          expect(monoid.equals(monoid.decode(monoid.encode(decoded)), decoded)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidViewValueError);
        }
      }),
    );
  });
});

describe('monoid inputs', () => {
  it('takes integers as bigint or safe numbers for sum, max and min', () => {
    expect(sumMonoid.from(3)).toBe(3n);
    expect(maxMonoid.from(-2n)).toBe(-2n);
    expect(minMonoid.from(null)).toBeNull();
    expect(() => sumMonoid.from(1.5)).toThrow(InvalidViewValueError);
    expect(() => sumMonoid.from('1')).toThrow(InvalidViewValueError);
    expect(() => maxMonoid.from(2 ** 60)).toThrow(InvalidViewValueError);
  });

  it('takes a member or members for set, sorted and distinct', () => {
    expect(setUnionMonoid.from('b')).toEqual(['b']);
    expect(setUnionMonoid.from(new Set(['b', 'a', 'b']))).toEqual(['a', 'b']);
    expect(() => setUnionMonoid.from([1])).toThrow(InvalidViewValueError);
  });

  it('counts items for topn and presents the N highest, ties by item', () => {
    const top2 = topByCountMonoid(2);
    const counts = top2.combine(top2.from(['b', 'a', 'c', 'c']), top2.from({ a: 1, d: -1 }));
    expect(top2.present(counts)).toEqual({ kind: 'ranking', entries: [['a', 2n], ['c', 2n]] });
    expect(top2.combine(top2.from({ a: 2 }), top2.from({ a: -2 })).size).toBe(0);
  });

  it('presents empty extremums as none, and ranks only ordered monoids', () => {
    expect(maxMonoid.present(null)).toEqual({ kind: 'none' });
    expect(maxMonoid.rank?.(null)).toBeUndefined();
    expect(sumMonoid.rank?.(5n)).toBe(5n);
    expect(setUnionMonoid.rank).toBeUndefined();
  });
});

describe('monoid registry', () => {
  it('finds monoids by spec, case-insensitively, with canonical specs', () => {
    expect(monoidFromSpec('SUM')).toBe(sumMonoid);
    expect(monoidFromSpec('max').spec).toBe('max');
    expect(monoidFromSpec('TopN:10').spec).toBe('topn:10');
  });

  it('refuses unknown specs and out-of-range N', () => {
    for (const spec of ['avg', 'topn', 'topn:0', 'topn:1001', 'topn:01', 'sum ']) expect(() => monoidFromSpec(spec)).toThrow(UnknownMonoidError);
  });

  it('finds hll at precision 12 by default and hll:<p> for p from 4 to 16, one instance per precision', () => {
    expect(monoidFromSpec('hll')).toBe(hyperLogLogMonoid(12));
    expect(monoidFromSpec('HLL:12')).toBe(monoidFromSpec('hll'));
    expect(monoidFromSpec('hll').spec).toBe('hll');
    expect(monoidFromSpec('hll:4').spec).toBe('hll:4');
    expect((monoidFromSpec('hll:16').zero as HllSketch).registerCount).toBe(65536);
    for (const spec of ['hll:3', 'hll:17', 'hll:', 'hll:04', 'hll12', 'hyperloglog']) expect(() => monoidFromSpec(spec)).toThrow(UnknownMonoidError);
  });

  it('lists every built-in spec when one is unknown', () => {
    expect(() => monoidFromSpec('avg')).toThrow(`unknown monoid 'avg'; expected one of ${MONOID_SPECS}`);
    expect(MONOID_SPECS).toContain('hll or hll:<p> (distinct count, p from 4 to 16, default 12)');
    expect(MONOID_SPECS).toContain('user:<name>');
  });
});

describe('user monoids', () => {
  it('resolves a registered user monoid by its spec, case-insensitively', () => {
    expect(monoidFromSpec('user:test.bitwise-or')).toBe(bitwiseOrMonoid);
    expect(monoidFromSpec('USER:Test.Bitwise-Or')).toBe(bitwiseOrMonoid);
  });

  it('accepts the same object twice and refuses another object under a registered spec', () => {
    expect(() => registerMonoid(bitwiseOrMonoid)).not.toThrow();
    expect(() => registerMonoid({ ...bitwiseOrMonoid })).toThrow(MonoidAlreadyRegisteredError);
    expect(monoidFromSpec('user:test.bitwise-or')).toBe(bitwiseOrMonoid);
  });

  it('takes only user:<name> specs, so a user monoid never shadows a built-in one', () => {
    for (const spec of ['sum', 'hll', 'topn:3', 'user:', 'user:Upper', 'user:a b', `user:${'a'.repeat(65)}`, 'custom:x']) {
      expect(() => registerMonoid({ ...bitwiseOrMonoid, spec })).toThrow(InvalidViewArgumentError);
    }
    expect(monoidFromSpec('sum')).toBe(sumMonoid);
    registerMonoid({ ...bitwiseOrMonoid, spec: `user:${'a'.repeat(64)}` });
  });

  it('refuses an object that is not a monoid', () => {
    const { decode: _decode, ...withoutDecode } = bitwiseOrMonoid;
    expect(() => registerMonoid(withoutDecode as unknown as Monoid<bigint>)).toThrow(/decode/);
    expect(() => registerMonoid(null as unknown as Monoid<bigint>)).toThrow(InvalidViewArgumentError);
  });

  it('says an unknown user monoid must be registered in every process that reads or writes the view', () => {
    let error: unknown;
    try {
      monoidFromSpec('user:page-sessions');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UnknownMonoidError);
    const { message } = error as UnknownMonoidError;
    expect(message).toContain("unknown monoid 'user:page-sessions'");
    expect(message).toContain('must be registered with registerMonoid in every process that reads or writes the view');
    expect(message).toContain('serving nodes answering VIEW.GET');
    expect(message).toContain('user:test.bitwise-or');
  });
});

describe('checkMonoidLaws', () => {
  /** Commutative with 0 as identity, but a ⊕ b = ab + 1 is not associative. */
  const notAssociative: Monoid<bigint> = {
    ...bitwiseOrMonoid,
    spec: 'user:test.not-associative',
    combine: (left, right) => (left === 0n ? right : right === 0n ? left : left * right + 1n),
  };

  it('finds nothing wrong with the built-in monoids on typical deltas', () => {
    expect(checkMonoidLaws(sumMonoid, [1, -2, 3n, 0])).toEqual([]);
    expect(checkMonoidLaws(setUnionMonoid, ['a', ['b', 'a'], new Set(['c'])])).toEqual([]);
    expect(checkMonoidLaws(topByCountMonoid(1), ['a', ['a', 'b'], { b: -1 }])).toEqual([]);
    expect(checkMonoidLaws(hll4, ['a', ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], []])).toEqual([]);
  });

  it('catches a monoid that is commutative with an identity but not associative', () => {
    const violations = checkMonoidLaws(notAssociative, [1n, 2n, 3n]);
    expect(violations.map(({ law }) => law)).toEqual(['associativity']);
    const [a = 0n, b = 0n, c = 0n] = violations[0]!.samples.map((index) => [0n, 1n, 2n, 3n][index + 1]!);
    expect(notAssociative.combine(notAssociative.combine(a, b), c)).not.toBe(notAssociative.combine(a, notAssociative.combine(b, c)));
  });

  it('catches order-dependent combines, encodings that are not canonical, and from that is not idempotent', () => {
    const firstWins: Monoid<bigint> = { ...bitwiseOrMonoid, spec: 'user:test.first-wins', combine: (left, right) => (left === 0n ? right : left) };
    expect(checkMonoidLaws(firstWins, [1n, 2n]).map(({ law }) => law)).toEqual(['commutativity']);
    const unsortedSet: Monoid<readonly string[]> = { ...setUnionMonoid, combine: (left, right) => [...left, ...right.filter((member) => !left.includes(member))], equals: (left, right) => left.length === right.length && left.every((member) => right.includes(member)) };
    expect(checkMonoidLaws(unsortedSet, ['a', 'b']).map(({ law }) => law)).toEqual(['encoding']);
    const wrapping: Monoid<bigint> = { ...bitwiseOrMonoid, from: (input) => bitwiseOrMonoid.from(input) * 2n };
    expect(checkMonoidLaws(wrapping, [1n]).map(({ law }) => law)).toEqual(['from-idempotent', 'from-clone']);
  });

  it('reports a throw as a violation rather than throwing', () => {
    expect(checkMonoidLaws(bitwiseOrMonoid, [1n, 'x']).map(({ law, samples }) => [law, samples])).toEqual([['throws', [1]]]);
    const badDecode: Monoid<bigint> = { ...bitwiseOrMonoid, decode: () => { throw new Error('no'); } };
    expect(checkMonoidLaws(badDecode, [1n]).map(({ law }) => law)).toEqual(['throws']);
  });

  it('takes at most 32 samples, since associativity checks every triple', () => {
    expect(() => checkMonoidLaws(sumMonoid, Array.from({ length: 33 }, (_, index) => index))).toThrow(InvalidViewArgumentError);
    expect(checkMonoidLaws(sumMonoid, Array.from({ length: 32 }, (_, index) => index))).toEqual([]);
  });
});
