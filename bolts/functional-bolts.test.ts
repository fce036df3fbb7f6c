import { describe, expect, it } from '@jest/globals';
import { createTickTuple, createTuple, isBasicBolt } from '../core/topology/api/index.js';
import { DEFAULT_STREAM_ID } from '../core/topology/builder/limits.js';
import { collectStreams } from '../core/topology/builder/components.js';
import { copyComponent } from '../core/topology/runtime/component-copy.js';
import { RecordingBasicCollector } from '../core/topology/testing/component-harness.js';
import { TooManyEmitsError } from './errors.js';
import { filterBolt, flatMapBolt, mapBolt } from './functional-bolts.js';
import { MAX_FLAT_MAP_EMITS } from './limits.js';

const words = (...values: string[]) => values.map((value) => createTuple('split', DEFAULT_STREAM_ID, ['word'], [value]));

describe('functional bolts', () => {
  it('mapBolt emits the function’s values on the declared fields, awaiting async functions', async () => {
    const bolt = mapBolt(['word', 'length'], async (input) => [input.getStringByField('word'), input.getStringByField('word').length]);
    expect(isBasicBolt(bolt)).toBe(true);
    expect(collectStreams('lengths', bolt)).toEqual([{ streamId: DEFAULT_STREAM_ID, fields: ['word', 'length'], direct: false }]);
    const collector = new RecordingBasicCollector();
    for (const input of words('a', 'abc')) await bolt.execute(input, collector);
    expect(collector.emitted.map((emit) => emit.values)).toEqual([['a', 1], ['abc', 3]]);
  });

  it('does not type-check a function returning the wrong number of values', () => {
    // @ts-expect-error two fields declared, one value returned
    const bolt = mapBolt(['word', 'length'], () => ['only one']);
    expect(bolt.outputFields).toEqual(['word', 'length']);
  });

  it('filterBolt passes on the inputs the predicate keeps, unchanged', async () => {
    const bolt = filterBolt(['word'], (input) => input.getStringByField('word').length > 2);
    const collector = new RecordingBasicCollector();
    for (const input of words('a', 'long', 'of', 'words')) await bolt.execute(input, collector);
    expect(collector.emitted.map((emit) => emit.values)).toEqual([['long'], ['words']]);
  });

  it('flatMapBolt emits every values array the function yields, and skips ticks', async () => {
    const bolt = flatMapBolt(['letter'], (input) => [...input.getStringByField('word')].map((letter) => [letter] as const));
    const collector = new RecordingBasicCollector();
    for (const input of [...words('ab', ''), createTickTuple(), ...words('c')]) await bolt.execute(input, collector);
    expect(collector.emitted.map((emit) => emit.values)).toEqual([['a'], ['b'], ['c']]);
  });

  it('flatMapBolt fails an input that expands without end', async () => {
    function* endless(): Generator<readonly [number]> {
      for (let n = 0; ; n += 1) yield [n];
    }
    const bolt = flatMapBolt(['n'], endless);
    const collector = new RecordingBasicCollector();
    await expect(bolt.execute(words('x')[0]!, collector)).rejects.toThrow(TooManyEmitsError);
    expect(collector.emitted).toHaveLength(MAX_FLAT_MAP_EMITS);
  });

  it('keeps working in a per-task copy (the function is shared, the fields copied)', async () => {
    const copy = copyComponent(mapBolt(['upper'], (input) => [input.getStringByField('word').toUpperCase()]));
    const collector = new RecordingBasicCollector();
    await copy.execute(words('hi')[0]!, collector);
    expect(collector.emitted.map((emit) => emit.values)).toEqual([['HI']]);
  });
});
