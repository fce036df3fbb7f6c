import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { ViewDefinition } from './catalog.js';
import { CorruptViewRecordError, RealtimeBacklogError } from './errors.js';
import { MAX_REALTIME_BUCKETS_PER_PARTITION } from './limits.js';
import { sumMonoid } from './monoids/sum.js';
import { applyDeltas, decodeRealtimeState, EMPTY_REALTIME_STATE, encodeRealtimeState, foldAbove, pruneState, type RealtimeState } from './realtime-state.js';

const counts = (bucketOffsets: number): ViewDefinition => ({ name: 'words', monoid: sumMonoid, bucketOffsets });
const ones = (...offsets: number[]) => offsets.map((offset) => ({ offset, value: 1n }));

describe('realtime record', () => {
  it('accumulates deltas per bucket and ignores offsets at or below the last one', () => {
    const definition = counts(10);
    const first = applyDeltas(definition, EMPTY_REALTIME_STATE, 'p-0', ones(3, 9, 10, 25), -1);
    let state = first.state;
    expect(first.counts).toEqual({ applied: 4, duplicates: 0, covered: 0 });
    expect(state.get('p-0')).toEqual({ lastOffset: 25, prunedThrough: -1, buckets: [{ index: 0, value: 2n }, { index: 1, value: 1n }, { index: 2, value: 1n }] });
    const replay = applyDeltas(definition, state, 'p-0', ones(9, 10, 25), -1);
    expect(replay.state).toBe(state);
    expect(replay.counts.duplicates).toBe(3);
    ({ state } = applyDeltas(definition, state, 'p-0', ones(26), -1));
    expect(state.get('p-0')!.buckets.at(-1)).toEqual({ index: 2, value: 2n });
  });

  it('folds only the buckets above a cut-off and reports the offsets reflected', () => {
    const definition = counts(10);
    const { state } = applyDeltas(definition, EMPTY_REALTIME_STATE, 'p-0', ones(3, 9, 10, 25), -1);
    const fold = foldAbove(definition, state, { 'p-0': 9, 'p-1': 19 });
    expect(fold).toEqual({ stale: false, value: 2n, reflected: new Map([['p-0', 25]]) });
    expect(foldAbove(definition, state, { 'p-0': 29 })).toEqual({ stale: false, value: 0n, reflected: new Map([['p-0', 29]]) });
  });

  it('drops buckets every retained batch covers, stores no delta at or below that bound, and marks itself pruned', () => {
    const definition = counts(10);
    const { state } = applyDeltas(definition, EMPTY_REALTIME_STATE, 'p-0', ones(3, 12), -1);
    const next = applyDeltas(definition, state, 'p-0', ones(15, 16), 19);
    expect(next.counts).toEqual({ applied: 0, duplicates: 0, covered: 2 });
    expect(next.state.get('p-0')).toEqual({ lastOffset: 16, prunedThrough: 19, buckets: [] });
    expect(foldAbove(definition, next.state, { 'p-0': 9 })).toEqual({ stale: true, partition: 'p-0' });
    const pruned = pruneState(definition, state, { 'p-0': 9 })!;
    expect(pruned.get('p-0')).toEqual({ lastOffset: 12, prunedThrough: 9, buckets: [{ index: 1, value: 1n }] });
    expect(pruneState(definition, pruned, { 'p-0': 9 })).toBeUndefined();
  });

  it('refuses more buckets than MAX_REALTIME_BUCKETS_PER_PARTITION', () => {
    const offsets = Array.from({ length: MAX_REALTIME_BUCKETS_PER_PARTITION + 1 }, (_, index) => index);
    expect(() => applyDeltas(counts(1), EMPTY_REALTIME_STATE, 'p-0', ones(...offsets), -1)).toThrow(RealtimeBacklogError);
  });

  it('round-trips through its encoding', () => {
    const definition = counts(3);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('p-0', 'p-1', '__proto__'), fc.nat(60), fc.bigInt({ min: -3n, max: 3n }))), fc.integer({ min: -1, max: 20 }), (deltas, bound) => {
        let state: RealtimeState = EMPTY_REALTIME_STATE;
        for (const [partition, offset, value] of deltas) state = applyDeltas(definition, state, partition, [{ offset, value }], bound).state;
        const decoded = decodeRealtimeState(definition, encodeRealtimeState(definition, state), 'key');
        expect([...decoded].sort()).toEqual([...state].sort());
      }),
    );
  });

  it('reports a record it cannot decode as corrupt', () => {
    for (const text of ['nope', '{}', '{"p":[["p-0",1,-1,[[0,"eA=="]]]]}', '{"p":[["p-0",-5,-1,[]]]}']) {
      expect(() => decodeRealtimeState(counts(1), { value: Buffer.from(text) }, 'key')).toThrow(CorruptViewRecordError);
    }
  });
});
