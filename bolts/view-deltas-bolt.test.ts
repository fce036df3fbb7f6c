import { describe, expect, it } from '@jest/globals';
import { createTickTuple, createTuple } from '../core/topology/api/index.js';
import { RecordingBasicCollector } from '../core/topology/testing/component-harness.js';
import { sumMonoid } from '../serving/views/monoids/sum.js';
import { InvalidTupleValueError } from './errors.js';
import { ViewDeltasBolt, type ViewEvent } from './view-deltas-bolt.js';

const event = (offset: number, value: string): ViewEvent => ({ topic: 'raven', partition: 2, offset, key: null, value, timestampMs: 0 });
const words = new ViewDeltasBolt({ topic: 'raven', monoid: sumMonoid, *map(input: ViewEvent) {
  for (const word of (input.value ?? '').split(' ')) yield [word, 1] as const;
} });

describe('view deltas bolt', () => {
  it('emits one delta per key of the event, at its position, with the spout\'s settled offset', () => {
    const collector = new RecordingBasicCollector();
    words.execute(createTuple('log', 'default', ['partition', 'event', 'settled'], [2, event(41, 'the raven the'), 38]), collector);
    expect(collector.emitted.map((emit) => emit.values)).toEqual([
      ['the', 2n, 'raven-2', 41, 38],
      ['raven', 1n, 'raven-2', 41, 38],
    ]);
  });

  it('emits a null settled offset for an input without one, and refuses a bad one', () => {
    const collector = new RecordingBasicCollector();
    words.execute(createTuple('log', 'default', ['partition', 'event'], [2, event(7, 'nevermore')]), collector);
    words.execute(createTickTuple(), collector);
    expect(collector.emitted.map((emit) => emit.values)).toEqual([['nevermore', 1n, 'raven-2', 7, null]]);
    expect(() => words.execute(createTuple('log', 'default', ['partition', 'event', 'settled'], [2, event(8, 'x'), 'soon']), collector)).toThrow(InvalidTupleValueError);
  });
});
