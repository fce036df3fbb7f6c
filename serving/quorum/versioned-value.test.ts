import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { dvv, EMPTY_VERSION_VECTOR } from '../../core/clock/index.js';
import { ConflictModeMismatchError, InvalidValueError } from './errors.js';
import { dvvTripleArbitrary, lwwTripleArbitrary } from './test-support.js';
import {
  dvvWrite,
  equals,
  isCollectable,
  isStale,
  liveValue,
  lwwWrite,
  merge,
  mergeAll,
  resolve,
  tombstone,
  type DvvValue,
  type VersionedValue,
} from './versioned-value.js';

const bytes = (text: string): Buffer => Buffer.from(text);
const at = (wallMs: number, logical = 0) => ({ wallMs, logical });

describe('versioned value (lww)', () => {
  it('keeps the write with the later hybrid timestamp', () => {
    const older = lwwWrite(at(10), 'b', liveValue(bytes('old')));
    const newer = lwwWrite(at(10, 1), 'a', liveValue(bytes('new')));
    expect(merge(older, newer)).toBe(newer);
    expect(merge(newer, older)).toBe(newer);
  });

  it('breaks timestamp ties by writer id, then lets a tombstone beat a value', () => {
    const fromA = lwwWrite(at(5), 'a', liveValue(bytes('x')));
    const fromB = lwwWrite(at(5), 'b', liveValue(bytes('y')));
    expect(merge(fromA, fromB)).toBe(fromB);
    const deleteFromA = lwwWrite(at(5), 'a', tombstone(99));
    expect(merge(fromA, deleteFromA)).toBe(deleteFromA);
  });

  it('reads a tombstone or an expired value as absent', () => {
    expect(resolve(lwwWrite(at(1), 'a', tombstone(100)), 0)).toEqual({ mode: 'lww', value: undefined, timestamp: at(1) });
    const expiring = lwwWrite(at(1), 'a', liveValue(bytes('v'), 50));
    expect(resolve(expiring, 49)).toMatchObject({ value: { value: bytes('v') } });
    expect(resolve(expiring, 50)).toMatchObject({ value: undefined });
  });

  it('lets storage collect a tombstone only after its expiry, an expired value only after the grace period', () => {
    expect(isCollectable(lwwWrite(at(1), 'a', tombstone(100)), 99, 0)).toBe(false);
    expect(isCollectable(lwwWrite(at(1), 'a', tombstone(100)), 100, 0)).toBe(true);
    expect(isCollectable(lwwWrite(at(1), 'a', liveValue(bytes('v'), 50)), 60, 20)).toBe(false);
    expect(isCollectable(lwwWrite(at(1), 'a', liveValue(bytes('v'), 50)), 70, 20)).toBe(true);
    expect(isCollectable(lwwWrite(at(1), 'a', liveValue(bytes('v'))), 1e12, 0)).toBe(false);
  });

  it('refuses out-of-range input with typed errors', () => {
    expect(() => tombstone(-1)).toThrow(InvalidValueError);
    expect(() => liveValue(bytes('v'), 1.5)).toThrow(InvalidValueError);
    expect(() => lwwWrite(at(1), '', tombstone(1))).toThrow(/actor/);
  });
});

describe('versioned value (dvv)', () => {
  const blind = (current: DvvValue | undefined, replica: string, text: string): DvvValue => dvvWrite(current, EMPTY_VERSION_VECTOR, replica, liveValue(bytes(text)));

  it('returns concurrent writes as siblings with a context that replaces them all', () => {
    const atA = blind(undefined, 'a', 'x');
    const atB = blind(undefined, 'b', 'y');
    const merged = merge(atA, atB) as DvvValue;
    const read = resolve(merged, 0);
    if (read.mode !== 'dvv') throw new Error('expected dvv');
    expect(read.values.map((payload) => payload.value.toString()).sort()).toEqual(['x', 'y']);
    const resolved = dvvWrite(merged, read.context, 'a', liveValue(bytes('x+y')));
    expect(resolve(resolved, 0)).toMatchObject({ values: [{ value: bytes('x+y') }] });
    expect(isStale(atB, resolved)).toBe(true);
    expect(isStale(resolved, merge(atB, resolved))).toBe(false);
  });

  it('keeps a value written concurrently with a delete (add wins) and hides the tombstone', () => {
    const written = blind(undefined, 'a', 'v');
    const deleted = dvvWrite(written, dvv.join(written.siblings), 'b', tombstone(1000));
    const concurrent = blind(written, 'a', 'w');
    const read = resolve(merge(deleted, concurrent), 0);
    expect(read).toMatchObject({ mode: 'dvv', values: [{ value: bytes('w') }] });
  });

  it('refuses to merge copies of different conflict modes', () => {
    expect(() => merge(blind(undefined, 'a', 'x'), lwwWrite(at(1), 'a', tombstone(1)))).toThrow(ConflictModeMismatchError);
  });
});

describe('versioned value merge (properties)', () => {
  const laws = (triple: [VersionedValue, VersionedValue, VersionedValue]): void => {
    const [a, b, c] = triple;
    expect(equals(merge(a, b), merge(b, a))).toBe(true);
    expect(equals(merge(merge(a, b), c), merge(a, merge(b, c)))).toBe(true);
    expect(equals(merge(a, a), a)).toBe(true);
    const merged = mergeAll([a, undefined, b, c]) as VersionedValue;
    for (const copy of [a, b, c]) {
      expect(isStale(copy, merged)).toBe(!equals(copy, merged));
      expect(isStale(merge(copy, merged), merged)).toBe(false);
    }
  };

  it('is commutative, associative and idempotent for lww, and isStale matches what repair changes', () => {
    fc.assert(fc.property(lwwTripleArbitrary, laws), { numRuns: 300 });
  });

  it('is commutative, associative and idempotent for dvv copies from real histories', () => {
    fc.assert(fc.property(dvvTripleArbitrary, laws), { numRuns: 300 });
  });

  it('treats a missing copy as stale and merges nothing to undefined', () => {
    expect(mergeAll([undefined, undefined])).toBeUndefined();
    expect(isStale(undefined, lwwWrite(at(1), 'a', tombstone(1)))).toBe(true);
  });
});
