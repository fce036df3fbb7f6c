/**
 * Turns one log record (a line of text) into view deltas for a word count: for each distinct word
 * of the line, (key = word, delta = its occurrences in the line, partition = '<topic>-<p>', offset).
 * A realtime view applies deltas idempotently per (key, partition, offset), so a line must give at
 * most one delta per word — hence the per-line counting. A BasicBolt: emits are anchored to the
 * record's tuple and it is acked when they are emitted; the sink downstream acks each delta once
 * it is durable in the view.
 */
import { BaseBasicBolt, isTickTuple, type BasicOutputCollector, type Tuple } from '../core/topology/api/index.js';
import type { OutputFieldsDeclarer } from '../core/topology/builder/components.js';
import { tokenize } from '../core/text/tokenize.js';
import { InvalidTupleValueError } from './errors.js';

const NAME = 'LineWordDeltasBolt';

export interface LineWordDeltasBoltOptions {
  /** Topic of the records, for the partition names (`<topic>-<partition>`). */
  readonly topic: string;
}

export class LineWordDeltasBolt extends BaseBasicBolt {
  readonly topic: string;

  constructor(options: LineWordDeltasBoltOptions) {
    super();
    this.topic = options.topic;
  }

  declareOutputFields(declarer: OutputFieldsDeclarer): void {
    declarer.declare(['key', 'delta', 'partition', 'offset']);
  }

  execute(input: Tuple, collector: BasicOutputCollector): void {
    if (isTickTuple(input)) return;
    const partition = input.getValueByField('partition');
    const offset = input.getValueByField('offset');
    const value = input.getValueByField('value');
    if (!Number.isSafeInteger(partition)) throw new InvalidTupleValueError(NAME, 'partition', partition, 'a partition number');
    if (!Number.isSafeInteger(offset)) throw new InvalidTupleValueError(NAME, 'offset', offset, 'an offset');
    const counts = new Map<string, number>();
    for (const word of tokenize(typeof value === 'string' ? value : '')) counts.set(word, (counts.get(word) ?? 0) + 1);
    const name = `${this.topic}-${String(partition)}`;
    for (const [word, count] of counts) collector.emit([word, count, name, offset]);
  }
}
