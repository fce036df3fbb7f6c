/**
 * Counts words per window: for every window it emits (word, count, windowEnd) for each distinct
 * word of the window's input field 'word'. Run it with `windowed(new WindowedWordCountBolt()
 * .withWindow(...))`; use fieldsGrouping on 'word' so each word is counted by one task.
 *
 * Each count is anchored to the tuples carrying that word (not to the whole window), so a failure
 * downstream replays only the inputs the count was made from. Counts are emitted in order of
 * first appearance in the window, which keeps output deterministic for a given input order.
 */
import type { OutputCollector } from '../core/topology/api/bolt.js';
import type { Tuple } from '../core/topology/api/tuple.js';
import type { OutputFieldsDeclarer } from '../core/topology/builder/components.js';
import { BaseWindowedBolt, type TupleWindow } from '../core/topology/windowing/index.js';

export const WORD_FIELD = 'word';
export const WINDOWED_WORD_COUNT_FIELDS: readonly string[] = Object.freeze(['word', 'count', 'windowEnd']);

export class WindowedWordCountBolt extends BaseWindowedBolt {
  constructor(private readonly wordField: string = WORD_FIELD) {
    super();
  }

  declareOutputFields(declarer: OutputFieldsDeclarer): void {
    declarer.declare(WINDOWED_WORD_COUNT_FIELDS);
  }

  execute(window: TupleWindow, collector: OutputCollector): void {
    const tuplesByWord = new Map<string, Tuple[]>();
    for (const tuple of window.get()) {
      const word = tuple.getStringByField(this.wordField);
      const tuples = tuplesByWord.get(word);
      if (tuples === undefined) tuplesByWord.set(word, [tuple]);
      else tuples.push(tuple);
    }
    for (const [word, tuples] of tuplesByWord) collector.emit(tuples, [word, tuples.length, window.endTimestamp]);
  }
}
