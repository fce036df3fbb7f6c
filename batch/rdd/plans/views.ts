/**
 * saveAsView: bulk-loads a pair RDD (key → value of the view's monoid) as version N of a serving
 * view and publishes it — the batch layer's output in the Lambda architecture. Partitions are
 * computed one job at a time and streamed to the view through the driver's BatchViewWriter
 * (bounded writes in flight), so the driver holds one partition at a time in local mode.
 */
import type { BatchViewWriter, PublishResult } from '../../../serving/views/batch-view-writer.js';
import type { CutOffs } from '../../../serving/views/log-position.js';
import type { RDD } from '../rdd.js';

export async function saveAsView<V>(rdd: RDD<[string, V]>, writer: BatchViewWriter, view: string, version: number, cutOffs: CutOffs): Promise<PublishResult> {
  const load = await writer.begin(view, version, cutOffs);
  for (let partition = 0; partition < rdd.numPartitions; partition++) {
    const [entries] = await rdd.runJob((values) => [...values], [partition]);
    for (const [key, value] of entries ?? []) await load.put(key, value);
  }
  return load.publish();
}
