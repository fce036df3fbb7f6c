import { describe, expect, it } from '@jest/globals';
import { createTickTuple, createTuple } from '../core/topology/api/index.js';
import { DEFAULT_STREAM_ID } from '../core/topology/builder/limits.js';
import { createTestContext, RecordingBasicCollector } from '../core/topology/testing/component-harness.js';
import { InvalidTupleValueError } from './errors.js';
import { IntermediateRankingsBolt } from './intermediate-rankings-bolt.js';

const counted = (object: unknown, count: unknown) => createTuple('counter', DEFAULT_STREAM_ID, ['obj', 'count', 'actualWindowLengthInSeconds'], [object, count, 60]);

function setUp(topN: number) {
  const bolt = new IntermediateRankingsBolt({ topN, emitFrequencySecs: 3 });
  const context = createTestContext(bolt);
  bolt.prepare(context.config, context);
  const collector = new RecordingBasicCollector();
  const tick = () => {
    bolt.execute(createTickTuple(), collector);
    return collector.emitted.at(-1)?.values;
  };
  return { bolt, collector, tick };
}

describe('intermediate rankings bolt', () => {
  it('emits its top n by latest count on each tick, and nothing between ticks', () => {
    const { bolt, collector, tick } = setUp(2);
    for (const [object, count] of [['a', 3], ['b', 5], ['c', 4], ['a', 9]] as const) bolt.execute(counted(object, count), collector);
    expect(collector.emitted).toEqual([]);
    expect(tick()).toEqual([[{ object: 'a', count: 9 }, { object: 'b', count: 5 }]]);
    expect(bolt.getComponentConfiguration()).toEqual({ 'topology.tick.tuple.freq.secs': 3 });
  });

  it('drops objects whose count fell to zero, and emits empty rankings too', () => {
    const { bolt, collector, tick } = setUp(5);
    bolt.execute(counted('a', 2), collector);
    expect(tick()).toEqual([[{ object: 'a', count: 2 }]]);
    bolt.execute(counted('a', 0), collector);
    expect(tick()).toEqual([[]]);
  });

  it('fails tuples whose object or count is unusable', () => {
    const { bolt, collector } = setUp(5);
    expect(() => bolt.execute(counted(['a'], 1), collector)).toThrow(InvalidTupleValueError);
    expect(() => bolt.execute(counted('a', '1'), collector)).toThrow(InvalidTupleValueError);
  });
});
