/**
 * Counts words: for each input, adds one to its word's count and emits (word, count) — the running
 * total, so the latest tuple of a word downstream is its count so far. Counts live in the task
 * (created in prepare), so subscribe with fieldsGrouping on the word field: each word then has one
 * counting task and one total. Counts are in memory only; a restarted task counts from zero.
 */
import { BaseBasicBolt, isTickTuple, type BasicOutputCollector, type ResolvedConfig, type TopologyContext, type Tuple } from '../core/topology/api/index.js';
import type { OutputFieldsDeclarer } from '../core/topology/builder/components.js';
import { BoltNotPreparedError, checkFieldName, InvalidTupleValueError } from './errors.js';

export interface WordCountBoltOptions {
  /** Input field holding the word (default 'word'). */
  inputField?: string;
}

export class WordCountBolt extends BaseBasicBolt {
  readonly inputField: string;
  private counts: Map<string, number> | undefined;

  constructor(options: WordCountBoltOptions = {}) {
    super();
    this.inputField = checkFieldName('WordCountBolt', 'inputField', options.inputField ?? 'word');
  }

  declareOutputFields(declarer: OutputFieldsDeclarer): void {
    declarer.declare(['word', 'count']);
  }

  override prepare(_config: ResolvedConfig, _context: TopologyContext): void {
    this.counts = new Map();
  }

  execute(input: Tuple, collector: BasicOutputCollector): void {
    if (isTickTuple(input)) return;
    if (this.counts === undefined) throw new BoltNotPreparedError('WordCountBolt');
    const word = input.getValueByField(this.inputField);
    if (typeof word !== 'string') throw new InvalidTupleValueError('WordCountBolt', this.inputField, word, 'a string');
    const count = (this.counts.get(word) ?? 0) + 1;
    this.counts.set(word, count);
    collector.emit([word, count]);
  }

  /** Words this task has counted (0 before prepare). */
  get distinctWords(): number {
    return this.counts?.size ?? 0;
  }
}
