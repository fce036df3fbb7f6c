import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createTickTuple, createTuple, type BasicBolt } from '../core/topology/api/index.js';
import { DEFAULT_STREAM_ID } from '../core/topology/builder/limits.js';
import { createTestContext, RecordingBasicCollector } from '../core/topology/testing/component-harness.js';
import { InvalidTupleValueError } from './errors.js';
import { IntermediateRankingsBolt } from './intermediate-rankings-bolt.js';
import { compareRankables, type Rankable } from './rankings.js';
import { RollingCountBolt } from './rolling-count-bolt.js';
import { TotalRankingsBolt } from './total-rankings-bolt.js';

const rankingsFrom = (task: number, items: unknown) => createTuple('intermediate', DEFAULT_STREAM_ID, ['rankings'], [items], task);

function setUp(topN: number) {
  const bolt = new TotalRankingsBolt({ topN });
  const context = createTestContext(bolt);
  bolt.prepare(context.config, context);
  const collector = new RecordingBasicCollector();
  const tick = () => {
    bolt.execute(createTickTuple(), collector);
    return collector.emitted.at(-1)?.values[0];
  };
  return { bolt, collector, tick };
}

describe('total rankings bolt', () => {
  it('merges the latest rankings of every upstream task into the top n', () => {
    const { bolt, collector, tick } = setUp(3);
    bolt.execute(rankingsFrom(1, [{ object: 'a', count: 9 }, { object: 'b', count: 2 }]), collector);
    bolt.execute(rankingsFrom(2, [{ object: 'c', count: 5 }, { object: 'd', count: 4 }]), collector);
    expect(tick()).toEqual([{ object: 'a', count: 9 }, { object: 'c', count: 5 }, { object: 'd', count: 4 }]);
  });

  it('forgets an object once its task’s latest rankings no longer hold it (unlike a running fold)', () => {
    const { bolt, collector, tick } = setUp(3);
    bolt.execute(rankingsFrom(1, [{ object: 'a', count: 9 }]), collector);
    expect(tick()).toEqual([{ object: 'a', count: 9 }]);
    bolt.execute(rankingsFrom(1, [{ object: 'b', count: 1 }]), collector);
    expect(tick()).toEqual([{ object: 'b', count: 1 }]);
  });

  it('fails tuples that do not hold rankings', () => {
    const { bolt, collector } = setUp(3);
    expect(() => bolt.execute(rankingsFrom(1, 'a'), collector)).toThrow(InvalidTupleValueError);
    expect(() => bolt.execute(rankingsFrom(1, [{ object: 'a' }]), collector)).toThrow(InvalidTupleValueError);
  });
});

/** Rolling counts → intermediate rankings (fields-grouped over `parallelism` tasks) → total, by hand. */
function runChain(words: readonly string[], parallelism: number, topN: number): unknown {
  const prepare = <B extends BasicBolt>(bolt: B): B => {
    const context = createTestContext(bolt);
    void bolt.prepare?.(context.config, context);
    return bolt;
  };
  const counter = prepare(new RollingCountBolt({ windowLengthSecs: 20, emitFrequencySecs: 10, nowMs: () => 0 }));
  const intermediates = Array.from({ length: parallelism }, () => prepare(new IntermediateRankingsBolt({ topN })));
  const total = prepare(new TotalRankingsBolt({ topN }));
  const counts = new RecordingBasicCollector();
  for (const each of words) counter.execute(createTuple('split', DEFAULT_STREAM_ID, ['word'], [each]), counts);
  counter.execute(createTickTuple(), counts);
  const ranked = new RecordingBasicCollector();
  for (const { values } of counts.emitted) {
    const task = (values[0] as string).charCodeAt(0) % parallelism; // a fields grouping on 'obj'
    intermediates[task]!.execute(createTuple('counter', DEFAULT_STREAM_ID, ['obj', 'count', 'actualWindowLengthInSeconds'], values), ranked);
  }
  intermediates.forEach((bolt) => bolt.execute(createTickTuple(), ranked));
  const totals = new RecordingBasicCollector();
  ranked.emitted.forEach(({ values }, task) => total.execute(createTuple('intermediate', DEFAULT_STREAM_ID, ['rankings'], values, task), totals));
  total.execute(createTickTuple(), totals);
  return totals.emitted[0]?.values[0];
}

describe('rolling top-N chain', () => {
  it('ranks the most frequent words of the window, whatever the parallelism (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...'abcdefghij'), { maxLength: 200 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 }), (words, parallelism, topN) => {
        const expected = new Map<string, number>();
        for (const each of words) expected.set(each, (expected.get(each) ?? 0) + 1);
        const top: Rankable[] = [...expected].map(([object, count]) => ({ object, count })).sort(compareRankables).slice(0, topN);
        expect(runChain(words, parallelism, topN)).toEqual(top);
      }),
      { numRuns: 200 },
    );
  });
});
