import { describe, expect, it } from '@jest/globals';
import { createTickTuple, createTuple } from '../core/topology/api/index.js';
import { DEFAULT_STREAM_ID } from '../core/topology/builder/limits.js';
import { createTestContext, RecordingBasicCollector } from '../core/topology/testing/component-harness.js';
import { BoltNotPreparedError, InvalidBoltOptionError, InvalidTupleValueError } from './errors.js';
import { RollingCountBolt } from './rolling-count-bolt.js';

const word = (value: unknown) => createTuple('split', DEFAULT_STREAM_ID, ['word'], [value]);

function setUp(windowLengthSecs: number, emitFrequencySecs: number) {
  const clock = { ms: 1_000_000 };
  const bolt = new RollingCountBolt({ windowLengthSecs, emitFrequencySecs, nowMs: () => clock.ms });
  const context = createTestContext(bolt, { config: bolt.getComponentConfiguration() });
  bolt.prepare(context.config, context);
  const collector = new RecordingBasicCollector();
  /** Advances the clock one emit period and delivers a tick; returns what it emitted. */
  const tick = (late = 0) => {
    clock.ms += emitFrequencySecs * 1000 + late;
    const before = collector.emitted.length;
    bolt.execute(createTickTuple(), collector);
    return collector.emitted.slice(before).map((emit) => emit.values);
  };
  const count = (...words: string[]) => words.forEach((each) => bolt.execute(word(each), collector));
  return { bolt, context, tick, count };
}

describe('rolling count bolt', () => {
  it('sets its tick frequency to the emit frequency', () => {
    const { bolt, context } = setUp(30, 10);
    expect(bolt.getComponentConfiguration()).toEqual({ 'topology.tick.tuple.freq.secs': 10 });
    expect(context.config['topology.tick.tuple.freq.secs']).toBe(10);
    expect(bolt.slots).toBe(3);
  });

  it('emits the window’s counts on each tick, with the window length actually covered', () => {
    const { tick, count } = setUp(30, 10);
    count('a', 'b', 'a');
    expect(tick()).toEqual([['a', 2, 10], ['b', 1, 10]]);
    count('a');
    expect(tick()).toEqual([['a', 3, 20], ['b', 1, 20]]);
    expect(tick()).toEqual([['a', 3, 30], ['b', 1, 30]]);
    // The first slot ('a' twice, 'b') leaves the window; 'b' is reported once with 0, then forgotten.
    expect(tick()).toEqual([['a', 1, 30], ['b', 0, 30]]);
    expect(tick(5_000)).toEqual([['a', 0, 35]]);
    expect(tick()).toEqual([]);
  });

  it('counts the first value by default and a named field when configured', () => {
    const bolt = new RollingCountBolt({ windowLengthSecs: 2, emitFrequencySecs: 1, inputField: 'id', nowMs: () => 0 });
    const context = createTestContext(bolt);
    bolt.prepare(context.config, context);
    const collector = new RecordingBasicCollector();
    bolt.execute(createTuple('ids', DEFAULT_STREAM_ID, ['name', 'id'], ['ignored', 7]), collector);
    bolt.execute(createTickTuple(), collector);
    expect(collector.emitted.map((emit) => emit.values)).toEqual([[7, 1, 0]]);
  });

  it('refuses windows that are not a multiple of at least two emit periods, and bad objects', () => {
    expect(() => new RollingCountBolt({ windowLengthSecs: 25, emitFrequencySecs: 10 })).toThrow(InvalidBoltOptionError);
    expect(() => new RollingCountBolt({ windowLengthSecs: 10, emitFrequencySecs: 10 })).toThrow(InvalidBoltOptionError);
    expect(() => new RollingCountBolt().execute(word('a'), new RecordingBasicCollector())).toThrow(BoltNotPreparedError);
    const { bolt } = setUp(30, 10);
    expect(() => bolt.execute(word({ not: 'primitive' }), new RecordingBasicCollector())).toThrow(InvalidTupleValueError);
  });
});
