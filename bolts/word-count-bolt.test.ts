import { describe, expect, it } from '@jest/globals';
import { createTuple } from '../core/topology/api/index.js';
import { DEFAULT_STREAM_ID } from '../core/topology/builder/limits.js';
import { copyComponent } from '../core/topology/runtime/component-copy.js';
import { createTestContext, RecordingBasicCollector } from '../core/topology/testing/component-harness.js';
import { BoltNotPreparedError, InvalidTupleValueError } from './errors.js';
import { WordCountBolt } from './word-count-bolt.js';

const word = (value: unknown) => createTuple('split', DEFAULT_STREAM_ID, ['word'], [value]);

function prepared(bolt: WordCountBolt): WordCountBolt {
  const context = createTestContext(bolt);
  bolt.prepare(context.config, context);
  return bolt;
}

describe('word count bolt', () => {
  it('emits each word with its running count', () => {
    const bolt = prepared(new WordCountBolt());
    const collector = new RecordingBasicCollector();
    for (const each of ['a', 'b', 'a', 'a', 'b']) bolt.execute(word(each), collector);
    expect(collector.emitted.map((emit) => emit.values)).toEqual([['a', 1], ['b', 1], ['a', 2], ['a', 3], ['b', 2]]);
    expect(bolt.distinctWords).toBe(2);
  });

  it('keeps separate counts per task copy', () => {
    const template = new WordCountBolt();
    const [first, second] = [prepared(copyComponent(template)), prepared(copyComponent(template))];
    const collector = new RecordingBasicCollector();
    first.execute(word('x'), collector);
    first.execute(word('x'), collector);
    second.execute(word('x'), collector);
    expect(collector.emitted.map((emit) => emit.values)).toEqual([['x', 1], ['x', 2], ['x', 1]]);
  });

  it('fails non-string words and execute before prepare with typed errors', () => {
    const collector = new RecordingBasicCollector();
    expect(() => new WordCountBolt().execute(word('a'), collector)).toThrow(BoltNotPreparedError);
    expect(() => prepared(new WordCountBolt()).execute(word(null), collector)).toThrow(InvalidTupleValueError);
  });
});
