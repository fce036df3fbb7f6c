import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { InvalidActorError, InvalidCausalDataError } from './errors.js';
import { MAX_ACTOR_ID_LENGTH, MAX_VERSION_VECTOR_ACTORS } from './limits.js';
import {
  EMPTY_VERSION_VECTOR,
  assertVersionVector,
  compareVersionVectors,
  counterOf,
  mergeVersionVectors,
  parseVersionVector,
  vectorDescends,
  type VersionVector,
} from './version-vector.js';

const vectorArbitrary: fc.Arbitrary<VersionVector> = fc
  .dictionary(fc.constantFrom('a', 'b', 'c', 'd'), fc.integer({ min: 0, max: 4 }))
  .map((counters) => parseVersionVector(Object.entries(counters).map(([actor, counter]) => ({ actor, counter }))));

describe('version vectors', () => {
  it('reads the counter of an actor, 0 when absent', () => {
    const vector = parseVersionVector([
      { actor: 'c', counter: 3 },
      { actor: 'a', counter: 1 },
    ]);
    expect(vector).toEqual([
      { actor: 'a', counter: 1 },
      { actor: 'c', counter: 3 },
    ]);
    expect(counterOf(vector, 'c')).toBe(3);
    expect(counterOf(vector, 'b')).toBe(0);
    expect(counterOf(EMPTY_VERSION_VECTOR, 'a')).toBe(0);
  });

  it('compares causal histories', () => {
    const a1 = parseVersionVector([{ actor: 'a', counter: 1 }]);
    const a2 = parseVersionVector([{ actor: 'a', counter: 2 }]);
    const b1 = parseVersionVector([{ actor: 'b', counter: 1 }]);
    expect(compareVersionVectors(a1, a2)).toBe('before');
    expect(compareVersionVectors(a2, a1)).toBe('after');
    expect(compareVersionVectors(a1, b1)).toBe('concurrent');
    expect(compareVersionVectors(a1, [...a1])).toBe('equal');
    expect(compareVersionVectors(EMPTY_VERSION_VECTOR, a1)).toBe('before');
    expect(vectorDescends(mergeVersionVectors(a1, b1), b1)).toBe(true);
    expect(vectorDescends(a1, b1)).toBe(false);
  });

  it('merges into the least vector that descends from both', () => {
    fc.assert(
      fc.property(vectorArbitrary, vectorArbitrary, vectorArbitrary, (a, b, c) => {
        const merged = mergeVersionVectors(a, b);
        expect(vectorDescends(merged, a) && vectorDescends(merged, b)).toBe(true);
        if (vectorDescends(c, a) && vectorDescends(c, b)) expect(vectorDescends(c, merged)).toBe(true);
        expect(mergeVersionVectors(a, b)).toEqual(mergeVersionVectors(b, a));
        expect(assertVersionVector(merged)).toBe(merged);
      }),
    );
  });

  it('gives antisymmetric answers', () => {
    const mirror = { before: 'after', after: 'before', equal: 'equal', concurrent: 'concurrent' } as const;
    fc.assert(
      fc.property(vectorArbitrary, vectorArbitrary, (a, b) => {
        expect(compareVersionVectors(b, a)).toBe(mirror[compareVersionVectors(a, b)]);
      }),
    );
  });

  it('round-trips through JSON', () => {
    fc.assert(
      fc.property(vectorArbitrary, (vector) => {
        expect(parseVersionVector(JSON.parse(JSON.stringify(vector)))).toEqual(vector);
      }),
    );
  });

  it('refuses malformed input from clients with typed errors', () => {
    const bad: unknown[] = [
      'a:1',
      [null],
      [{ actor: 'a', counter: -1 }],
      [{ actor: 'a', counter: 1.5 }],
      [{ actor: 'a', counter: '1' }],
      [
        { actor: 'a', counter: 1 },
        { actor: 'a', counter: 2 },
      ],
      Array.from({ length: MAX_VERSION_VECTOR_ACTORS + 1 }, (_, i) => ({ actor: `n${i}`, counter: 1 })),
    ];
    for (const json of bad) expect(() => parseVersionVector(json)).toThrow(InvalidCausalDataError);
    for (const actor of ['', 7, 'x'.repeat(MAX_ACTOR_ID_LENGTH + 1)]) {
      expect(() => parseVersionVector([{ actor, counter: 1 }])).toThrow(InvalidActorError);
    }
    expect(() =>
      assertVersionVector([
        { actor: 'b', counter: 1 },
        { actor: 'a', counter: 1 },
      ]),
    ).toThrow(/sorted/);
    expect(() => assertVersionVector([{ actor: 'a', counter: 0 }])).toThrow(InvalidCausalDataError);
  });

  it('never crashes on garbage: a vector or a typed error', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (json) => {
        try {
          assertVersionVector(parseVersionVector(json));
        } catch (error) {
          expect(error instanceof InvalidCausalDataError || error instanceof InvalidActorError).toBe(true);
        }
      }),
    );
  });
});
