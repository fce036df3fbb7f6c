/**
 * Splits a sentence into words: for each input, one ('word') tuple per token of the shared
 * tokenizer (core/text/tokenize), in order. Using the one tokenizer keeps stream counts and batch
 * counts of the same text comparable word for word. Basic bolt: every word is anchored to its
 * sentence and the sentence is acked when all are emitted.
 */
import { BaseBasicBolt, isTickTuple, type BasicOutputCollector, type Tuple } from '../core/topology/api/index.js';
import type { OutputFieldsDeclarer } from '../core/topology/builder/components.js';
import { tokenize } from '../core/text/tokenize.js';
import { checkFieldName, InvalidTupleValueError } from './errors.js';

export interface SplitSentenceBoltOptions {
  /** Input field holding the text (default 'sentence'). */
  inputField?: string;
}

export class SplitSentenceBolt extends BaseBasicBolt {
  readonly inputField: string;

  constructor(options: SplitSentenceBoltOptions = {}) {
    super();
    this.inputField = checkFieldName('SplitSentenceBolt', 'inputField', options.inputField ?? 'sentence');
  }

  declareOutputFields(declarer: OutputFieldsDeclarer): void {
    declarer.declare(['word']);
  }

  execute(input: Tuple, collector: BasicOutputCollector): void {
    if (isTickTuple(input)) return;
    const text = input.getValueByField(this.inputField);
    if (typeof text !== 'string') throw new InvalidTupleValueError('SplitSentenceBolt', this.inputField, text, 'a string');
    for (const word of tokenize(text)) collector.emit([word]);
  }
}
