/**
 * The word count as a Lambda view, written once: each line of the topic maps to (word, 1) for
 * every word, summed. `barista dev` runs it as the speed layer (a topology) and the batch layer (an
 * RDD job), and answers queries from the merged view.
 */
import { tokenize } from '../../core/text/tokenize.js';
import { lambda, type LambdaView } from '../../lambda/index.js';

/** Offsets per realtime bucket: the batch cut-off is the last offset of a bucket of 50 lines. */
export const WORD_COUNT_BUCKET_OFFSETS = 50;

export function wordCountView(name: string, topic: string): LambdaView<number> {
  return lambda.view(name, {
    source: topic,
    monoid: 'sum',
    bucketOffsets: WORD_COUNT_BUCKET_OFFSETS,
    map: (event) => tokenize(event.value ?? '').map((word) => [word, 1] as const),
  });
}
