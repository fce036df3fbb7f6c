/**
 * WordCountBolt passing its input's source along: for each (word, partition, offset, position)
 * it counts the word as WordCountBolt does and emits (word, count, partition, offset, position).
 * Subscribe with fieldsGrouping on 'word', as for WordCountBolt. The count is the running total
 * of this task since it was prepared (in memory: a restarted process counts from zero, and a
 * replayed word is counted again); the source is what lets the sink's reader deduplicate.
 */
import { isTickTuple, type BasicOutputCollector, type Tuple } from '../../core/topology/api/index.js';
import type { OutputFieldsDeclarer } from '../../core/topology/builder/components.js';
import { WordCountBolt } from '../../bolts/word-count-bolt.js';
import { appendingCollector, SOURCE_FIELDS } from './source-fields.js';

export class SourcedWordCountBolt extends WordCountBolt {
  override declareOutputFields(declarer: OutputFieldsDeclarer): void {
    declarer.declare(['word', 'count', ...SOURCE_FIELDS]);
  }

  override execute(input: Tuple, collector: BasicOutputCollector): void {
    if (isTickTuple(input)) return;
    const source = input.select(SOURCE_FIELDS);
    super.execute(input, appendingCollector(collector, () => source));
  }
}
