/**
 * SplitSentenceBolt (the shared tokenizer, core/text/tokenize) that also says where each word
 * came from: it emits (word, partition, offset, position), `position` being the word's index
 * among the words of its line. The source travels with the word to the sink, whose record key
 * it becomes, so a reader can tell a replayed word from a new one (see word-deltas.ts).
 * The words are SplitSentenceBolt's own: only the collector handed to it is decorated.
 */
import { isTickTuple, type BasicOutputCollector, type Tuple } from '../../core/topology/api/index.js';
import type { OutputFieldsDeclarer } from '../../core/topology/builder/components.js';
import { SplitSentenceBolt } from '../../bolts/split-sentence-bolt.js';
import { appendingCollector, SOURCE_FIELDS, sourceNumber } from './source-fields.js';

const NAME = 'SourcedSplitSentenceBolt';

export class SourcedSplitSentenceBolt extends SplitSentenceBolt {
  override declareOutputFields(declarer: OutputFieldsDeclarer): void {
    declarer.declare(['word', ...SOURCE_FIELDS]);
  }

  override execute(input: Tuple, collector: BasicOutputCollector): void {
    if (isTickTuple(input)) return;
    const partition = sourceNumber(NAME, input, 'partition');
    const offset = sourceNumber(NAME, input, 'offset');
    let position = 0;
    super.execute(input, appendingCollector(collector, () => [partition, offset, position++]));
  }
}
