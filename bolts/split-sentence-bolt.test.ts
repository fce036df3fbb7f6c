import { describe, expect, it } from '@jest/globals';
import { createTickTuple, createTuple } from '../core/topology/api/index.js';
import { DEFAULT_STREAM_ID } from '../core/topology/builder/limits.js';
import { RecordingBasicCollector } from '../core/topology/testing/component-harness.js';
import { InvalidBoltOptionError, InvalidTupleValueError } from './errors.js';
import { SplitSentenceBolt } from './split-sentence-bolt.js';

const sentence = (text: unknown, field = 'sentence') => createTuple('lines', DEFAULT_STREAM_ID, [field], [text]);

describe('split sentence bolt', () => {
  it('emits one word per token of the shared tokenizer, lower-cased, in order', () => {
    const bolt = new SplitSentenceBolt();
    const collector = new RecordingBasicCollector();
    bolt.execute(sentence('The cow, the Moon — and 2 spoons!'), collector);
    expect(collector.emitted.map((emit) => emit.values)).toEqual([['the'], ['cow'], ['the'], ['moon'], ['and'], ['2'], ['spoons']]);
    expect(collector.emitted.every((emit) => emit.streamId === DEFAULT_STREAM_ID)).toBe(true);
  });

  it('reads the configured input field and emits nothing for text without words', () => {
    const bolt = new SplitSentenceBolt({ inputField: 'line' });
    const collector = new RecordingBasicCollector();
    bolt.execute(sentence('...  ', 'line'), collector);
    bolt.execute(sentence('Été übel', 'line'), collector);
    expect(collector.emitted.map((emit) => emit.values)).toEqual([['été'], ['übel']]);
  });

  it('fails a tuple whose field is not text with a typed error, and ignores ticks', () => {
    const bolt = new SplitSentenceBolt();
    const collector = new RecordingBasicCollector();
    expect(() => bolt.execute(sentence(42), collector)).toThrow(InvalidTupleValueError);
    bolt.execute(createTickTuple(), collector);
    expect(collector.emitted).toEqual([]);
  });

  it('refuses an empty input field name', () => {
    expect(() => new SplitSentenceBolt({ inputField: '' })).toThrow(InvalidBoltOptionError);
  });
});
