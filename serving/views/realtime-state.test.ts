import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { ViewDefinition } from './catalog.js';
import { CorruptViewRecordError, RealtimeBacklogError, UnsettledOffsetsBacklogError } from './errors.js';
import { MAX_REALTIME_BUCKETS_PER_PARTITION, MAX_UNSETTLED_OFFSETS_PER_PARTITION } from './limits.js';
import { sumMonoid } from './monoids/sum.js';
import { applyDeltas, decodeRealtimeState, EMPTY_REALTIME_STATE, encodeRealtimeState, foldAbove, pruneState, type Delta, type RealtimeState } from './realtime-state.js';

const counts = (bucketOffsets: number): ViewDefinition => ({ name: 'words', monoid: sumMonoid, bucketOffsets });
const ones = (...offsets: number[]) => offsets.map((offset) => ({ offset, value: 1n }));
/** Deltas of 1 at `offsets`, each sent when the source had settled every offset below `settled`. */
const settledOnes = (settled: number, ...offsets: number[]) => offsets.map((offset) => ({ offset, value: 1n, settled }));
const roundTrip = (definition: ViewDefinition, state: RealtimeState) => decodeRealtimeState(definition, encodeRealtimeState(definition, state), 'key');

/**
 * A key's deltas delivered in the order given (replays, duplicates and all), each carrying a
 * settled offset its source could truthfully have sent: at most the lowest offset of the key not
 * yet in the record (offsets of other keys need nothing). `fractions` pick each settled offset in
 * [0, that bound]. Checks after every apply that the record folds to exactly the distinct offsets
 * applied so far; returns the final state.
 */
function deliverWithTruthfulSettled(definition: ViewDefinition, values: ReadonlyMap<number, bigint>, order: readonly number[], fractions: readonly number[], encodeEvery: number): RealtimeState {
  const keyOffsets = [...values.keys()].sort((a, b) => a - b);
  const inRecord = new Set<number>();
  let state: RealtimeState = EMPTY_REALTIME_STATE;
  order.forEach((offset, step) => {
    const lowestMissing = keyOffsets.find((candidate) => !inRecord.has(candidate)) ?? keyOffsets.length + 100;
    const settled = Math.floor(lowestMissing * (fractions[step % fractions.length] ?? 1));
    const delta: Delta = { offset, value: values.get(offset)!, settled };
    state = applyDeltas(definition, state, 'p-0', [delta], -1).state;
    inRecord.add(offset);
    if (step % encodeEvery === 0) state = roundTrip(definition, state);
    const expected = [...inRecord].reduce((sum, each) => sum + values.get(each)!, 0n);
    const fold = foldAbove(definition, state, {});
    expect(fold.stale ? undefined : fold.value).toBe(expected);
  });
  return state;
}

describe('realtime record', () => {
  it('accumulates deltas per bucket and ignores offsets at or below the last one', () => {
    const definition = counts(10);
    const first = applyDeltas(definition, EMPTY_REALTIME_STATE, 'p-0', ones(3, 9, 10, 25), -1);
    let state = first.state;
    expect(first.counts).toEqual({ applied: 4, duplicates: 0, covered: 0 });
    expect(state.get('p-0')).toEqual({ lastOffset: 25, floor: 25, above: [], prunedThrough: -1, buckets: [{ index: 0, value: 2n }, { index: 1, value: 1n }, { index: 2, value: 1n }] });
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
    expect(fold).toEqual({ stale: false, value: 2n, reflected: new Map([['p-0', 25]]), settled: new Map([['p-0', 25]]) });
    expect(foldAbove(definition, state, { 'p-0': 29 })).toEqual({ stale: false, value: 0n, reflected: new Map([['p-0', 29]]), settled: new Map([['p-0', 29]]) });
  });

  it('drops buckets every retained batch covers, stores no delta at or below that bound, and marks itself pruned', () => {
    const definition = counts(10);
    const { state } = applyDeltas(definition, EMPTY_REALTIME_STATE, 'p-0', ones(3, 12), -1);
    const next = applyDeltas(definition, state, 'p-0', ones(15, 16), 19);
    expect(next.counts).toEqual({ applied: 0, duplicates: 0, covered: 2 });
    expect(next.state.get('p-0')).toEqual({ lastOffset: 16, floor: 16, above: [], prunedThrough: 19, buckets: [] });
    expect(foldAbove(definition, next.state, { 'p-0': 9 })).toEqual({ stale: true, partition: 'p-0' });
    const pruned = pruneState(definition, state, { 'p-0': 9 })!;
    expect(pruned.get('p-0')).toEqual({ lastOffset: 12, floor: 12, above: [], prunedThrough: 9, buckets: [{ index: 1, value: 1n }] });
    expect(pruneState(definition, pruned, { 'p-0': 9 })).toBeUndefined();
  });

  it('refuses more buckets than MAX_REALTIME_BUCKETS_PER_PARTITION', () => {
    const offsets = Array.from({ length: MAX_REALTIME_BUCKETS_PER_PARTITION + 1 }, (_, index) => index);
    expect(() => applyDeltas(counts(1), EMPTY_REALTIME_STATE, 'p-0', ones(...offsets), -1)).toThrow(RealtimeBacklogError);
  });

  it('applies a replay that arrives after later offsets of its key, once', () => {
    const definition = counts(10);
    // Offset 4's tree died with a worker; 5 and 7 went through while the source had settled up to 4.
    let { state } = applyDeltas(definition, EMPTY_REALTIME_STATE, 'p-0', settledOnes(4, 5, 7), -1);
    expect(state.get('p-0')).toMatchObject({ lastOffset: 7, floor: 3, above: [5, 7] });
    const replay = applyDeltas(definition, state, 'p-0', settledOnes(4, 4), -1);
    expect(replay.counts).toEqual({ applied: 1, duplicates: 0, covered: 0 });
    state = replay.state;
    for (const again of [4, 5, 7]) expect(applyDeltas(definition, state, 'p-0', settledOnes(4, again), -1).state).toBe(state);
    // Once the source has settled through 7, the record keeps nothing above its floor.
    ({ state } = applyDeltas(definition, state, 'p-0', settledOnes(8, 9), -1));
    expect(state.get('p-0')).toMatchObject({ lastOffset: 9, floor: 7, above: [9] });
    expect(foldAbove(definition, state, {})).toEqual({ stale: false, value: 4n, reflected: new Map([['p-0', 9]]), settled: new Map([['p-0', 7]]) });
  });

  it('folds any order and duplication of a key\'s deltas with truthful settled offsets to exactly their combination', () => {
    const keyLog = fc.uniqueArray(fc.tuple(fc.nat(40), fc.bigInt({ min: -3n, max: 5n })), { selector: ([offset]) => offset, minLength: 1, maxLength: 25 });
    fc.assert(
      fc.property(
        keyLog.chain((entries) =>
          fc.record({
            entries: fc.constant(entries),
            order: fc.array(fc.constantFrom(...entries.map(([offset]) => offset)), { maxLength: 30 }).chain((replays) => {
              const deliveries = [...entries.map(([offset]) => offset), ...replays];
              return fc.shuffledSubarray(deliveries, { minLength: deliveries.length, maxLength: deliveries.length });
            }),
            fractions: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 8 }),
            bucketOffsets: fc.constantFrom(1, 2, 5),
            encodeEvery: fc.integer({ min: 1, max: 4 }),
          }),
        ),
        ({ entries, order, fractions, bucketOffsets, encodeEvery }) => {
          const values = new Map(entries);
          const state = deliverWithTruthfulSettled(counts(bucketOffsets), values, order, fractions, encodeEvery);
          const partition = state.get('p-0')!;
          expect(partition.lastOffset).toBe(Math.max(...values.keys()));
          expect(partition.floor).toBeLessThanOrEqual(partition.lastOffset);
          expect(partition.above.every((offset) => offset > partition.floor && values.has(offset))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps only offsets above the highest settled offset it was sent, never beyond lastOffset', () => {
    const definition = counts(10);
    let { state } = applyDeltas(definition, EMPTY_REALTIME_STATE, 'p-0', settledOnes(0, 2, 4, 6), -1);
    expect(state.get('p-0')).toMatchObject({ floor: -1, above: [2, 4, 6] });
    ({ state } = applyDeltas(definition, state, 'p-0', settledOnes(5, 8), -1));
    expect(state.get('p-0')).toMatchObject({ lastOffset: 8, floor: 4, above: [6, 8] });
    // A lower settled offset (an older emit) never lowers the floor; one past lastOffset stops there.
    ({ state } = applyDeltas(definition, state, 'p-0', settledOnes(1, 7), -1));
    expect(state.get('p-0')).toMatchObject({ floor: 4, above: [6, 7, 8] });
    ({ state } = applyDeltas(definition, state, 'p-0', settledOnes(50, 9), -1));
    expect(state.get('p-0')).toMatchObject({ lastOffset: 9, floor: 9, above: [] });
    // Offsets every retained batch covers need nothing either.
    ({ state } = applyDeltas(definition, state, 'p-0', settledOnes(10, 12, 15), 13));
    expect(state.get('p-0')).toMatchObject({ lastOffset: 15, floor: 13, above: [15], prunedThrough: 13 });
  });

  it('refuses more unsettled offsets than MAX_UNSETTLED_OFFSETS_PER_PARTITION, retriably', () => {
    const offsets = Array.from({ length: MAX_UNSETTLED_OFFSETS_PER_PARTITION + 1 }, (_, index) => index + 1);
    const definition = counts(1_000_000);
    expect(applyDeltas(definition, EMPTY_REALTIME_STATE, 'p-0', settledOnes(0, ...offsets.slice(1)), -1).state.get('p-0')!.above).toHaveLength(MAX_UNSETTLED_OFFSETS_PER_PARTITION);
    let refused: unknown;
    try {
      applyDeltas(definition, EMPTY_REALTIME_STATE, 'p-0', settledOnes(0, ...offsets), -1);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(UnsettledOffsetsBacklogError);
    expect(refused).toBeInstanceOf(RealtimeBacklogError);
    expect(refused).toMatchObject({ code: 'REALTIME_BACKLOG', retriable: true, unsettledOffsets: MAX_UNSETTLED_OFFSETS_PER_PARTITION + 1 });
  });

  it('reads a record written before floors as floor = lastOffset: in-order dedup', () => {
    const definition = counts(10);
    const old = decodeRealtimeState(definition, { value: Buffer.from(`{"p":[["p-0",5,-1,[[0,"${sumMonoid.encode(2n).toString('base64')}"]]]]}`) }, 'key');
    expect(old.get('p-0')).toEqual({ lastOffset: 5, floor: 5, above: [], prunedThrough: -1, buckets: [{ index: 0, value: 2n }] });
    expect(applyDeltas(definition, old, 'p-0', settledOnes(3, 4), -1).counts.duplicates).toBe(1);
    const { state } = applyDeltas(definition, old, 'p-0', ones(6), -1);
    // In-order deltas keep the record in the old encoding.
    expect(JSON.parse(encodeRealtimeState(definition, state).value.toString())).toEqual({ p: [['p-0', 6, -1, [[0, sumMonoid.encode(3n).toString('base64')]]]] });
  });

  it('round-trips through its encoding', () => {
    const definition = counts(3);
    const settled = fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('p-0', 'p-1', '__proto__'), fc.nat(60), fc.bigInt({ min: -3n, max: 3n }), settled)), fc.integer({ min: -1, max: 20 }), (deltas, bound) => {
        let state: RealtimeState = EMPTY_REALTIME_STATE;
        for (const [partition, offset, value, settledOffset] of deltas) state = applyDeltas(definition, state, partition, [{ offset, value, ...(settledOffset === undefined ? {} : { settled: settledOffset }) }], bound).state;
        const decoded = decodeRealtimeState(definition, encodeRealtimeState(definition, state), 'key');
        expect([...decoded].sort()).toEqual([...state].sort());
      }),
    );
  });

  it('reports a record it cannot decode as corrupt', () => {
    const offsets = (...bytes: number[]) => Buffer.from(bytes).toString('base64');
    const unsettled = [
      ['p-0', 5, -1, [], 5, offsets(1)], // floor not below lastOffset
      ['p-0', 5, -1, [], 2, offsets(1, 0)], // a gap of 0
      ['p-0', 5, -1, [], 2, offsets(1, 0x81)], // truncated varint
      ['p-0', 5, -1, [], 2, offsets(1)], // does not end at lastOffset
      ['p-0', 5, -1, [], 2, 7], // not base64 text
    ].map((partition) => JSON.stringify({ p: [partition] }));
    for (const text of ['nope', '{}', '{"p":[["p-0",1,-1,[[0,"eA=="]]]]}', '{"p":[["p-0",-5,-1,[]]]}', ...unsettled]) {
      expect(() => decodeRealtimeState(counts(1), { value: Buffer.from(text) }, 'key')).toThrow(CorruptViewRecordError);
    }
  });
});
