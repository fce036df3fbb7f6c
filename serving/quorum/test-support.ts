/** Generators shared by the quorum tests: payloads, LWW versions, and DVV copies from real histories. */
import fc from 'fast-check';
import { dvv, EMPTY_VERSION_VECTOR } from '../../core/clock/index.js';
import { dvvWrite, lwwWrite, merge, type DvvValue, type LwwValue, type Payload, type VersionedValue } from './versioned-value.js';

export const payloadArbitrary: fc.Arbitrary<Payload> = fc.oneof(
  fc.record({
    value: fc.uint8Array({ maxLength: 6 }).map((bytes) => Buffer.from(bytes)),
    expiresAtMs: fc.option(fc.integer({ min: 0, max: 50 }), { nil: undefined }),
  }).map(({ value, expiresAtMs }): Payload => (expiresAtMs === undefined ? { kind: 'value', value } : { kind: 'value', value, expiresAtMs })),
  fc.integer({ min: 0, max: 50 }).map((expiresAtMs): Payload => ({ kind: 'tombstone', expiresAtMs })),
);

/** Few timestamps and writers, so ties on both happen often. */
export const lwwArbitrary: fc.Arbitrary<LwwValue> = fc
  .record({ wallMs: fc.integer({ min: 0, max: 3 }), logical: fc.integer({ min: 0, max: 2 }), writer: fc.constantFrom('a', 'b', 'c'), payload: payloadArbitrary })
  .map(({ wallMs, logical, writer, payload }) => lwwWrite({ wallMs, logical }, writer, payload));

type Step = { kind: 'write'; at: number; contextFrom: number | null; payload: Payload } | { kind: 'sync'; at: number; from: number };

const REPLICAS = ['r0', 'r1', 'r2'] as const;

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('write' as const), at: fc.nat(2), contextFrom: fc.option(fc.nat(2), { nil: null }), payload: payloadArbitrary }),
  fc.record({ kind: fc.constant('sync' as const), at: fc.nat(2), from: fc.nat(2) }),
);

/**
 * DVV copies as real replicas produce them: three replicas coordinate writes (with a context read
 * from some replica, or blind) and sync with each other; every intermediate copy is collected.
 * Arbitrary DVV sets would reuse dots, which no replica ever does.
 */
export const dvvHistoryArbitrary: fc.Arbitrary<DvvValue[]> = fc.array(stepArbitrary, { minLength: 1, maxLength: 14 }).map((steps) => {
  const states: DvvValue[] = REPLICAS.map(() => ({ mode: 'dvv', siblings: dvv.empty<Payload>() }));
  const seen: DvvValue[] = [];
  for (const step of steps) {
    const current = states[step.at] as DvvValue;
    let next: DvvValue;
    if (step.kind === 'write') {
      const context = step.contextFrom === null ? EMPTY_VERSION_VECTOR : dvv.join((states[step.contextFrom] as DvvValue).siblings);
      next = dvvWrite(current, context, REPLICAS[step.at] as string, step.payload);
    } else {
      next = merge(current, states[step.from] as DvvValue) as DvvValue;
    }
    states[step.at] = next;
    seen.push(next);
  }
  return seen;
});

/** Three copies picked from one DVV history (possibly the same one twice). */
export const dvvTripleArbitrary: fc.Arbitrary<[VersionedValue, VersionedValue, VersionedValue]> = fc
  .tuple(dvvHistoryArbitrary, fc.nat(), fc.nat(), fc.nat())
  .map(([seen, i, j, k]) => [seen[i % seen.length], seen[j % seen.length], seen[k % seen.length]] as [DvvValue, DvvValue, DvvValue]);

export const lwwTripleArbitrary: fc.Arbitrary<[VersionedValue, VersionedValue, VersionedValue]> = fc.tuple(lwwArbitrary, lwwArbitrary, lwwArbitrary);
