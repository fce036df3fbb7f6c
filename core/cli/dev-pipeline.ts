/**
 * The two halves of `barista dev`'s word count, Lambda style, over one topic of text lines:
 * - speed layer: a topology (LogSpout → LineWordDeltasBolt → ServingSinkBolt, fields-grouped by
 *   word) applying per-line word deltas to the realtime side of a serving view;
 * - batch layer: an RDD job over a snapshot of the log up to a bucket-aligned cut-off, published
 *   as the next batch version of the same view (realtime deltas at or below the cut-off are then
 *   superseded, the rest still count).
 */
import { join } from 'node:path';
import type { KafkaEndpoint } from '../log/client/kafka-connection.js';
import { LocalCluster } from '../topology/runtime/local-cluster.js';
import { TopologyBuilder } from '../topology/builder/topology-builder.js';
import { tokenize } from '../text/tokenize.js';
import type { Logger } from '../telemetry/logger.js';
import { LogSpout } from '../../spouts/log-spout.js';
import { FileOffsetStore } from '../../spouts/offset-store.js';
import { LineWordDeltasBolt } from '../../bolts/line-word-deltas-bolt.js';
import { ServingSinkBolt } from '../../bolts/serving-sink-bolt.js';
import { BatchContext } from '../../batch/context/batch-context.js';
import type { Keyspace } from '../../serving/keyspace/keyspace.js';
import { BatchViewWriter, type PublishResult } from '../../serving/views/batch-view-writer.js';
import { partitionName } from '../../serving/views/log-position.js';
import { readPointer } from '../../serving/views/pointer.js';
import { ViewCatalog } from '../../serving/views/catalog.js';

export interface SpeedLayer {
  readonly cluster: LocalCluster;
  /** Resolves when every record below `endOffset` of partition 0 is fully processed (committed). */
  caughtUp(endOffset: number, timeoutMs: number): Promise<void>;
}

export async function startSpeedLayer(bootstrap: KafkaEndpoint, topic: string, view: string, keyspace: Keyspace, workDir: string, logger: Logger): Promise<SpeedLayer> {
  const offsetStore = new FileOffsetStore(join(workDir, 'wordcount-offsets.json'));
  const builder = new TopologyBuilder();
  builder.setSpout('lines', new LogSpout({ bootstrap, topic, offsetStore, commitIntervalMs: 50 })).setMaxSpoutPending(500);
  // A realtime view applies a key's deltas idempotently by offset — one at or below the last applied
  // offset of its partition is taken for a replay — so deltas must reach the sink in offset order
  // per partition: every record of a partition goes through one words task (fields grouping on
  // the partition), and each key through one sink task (fields grouping on the key).
  builder.setBolt('words', new LineWordDeltasBolt({ topic }), 2).fieldsGrouping('lines', ['partition']);
  builder.setBolt('view', new ServingSinkBolt({ keyspace, view }), 2).fieldsGrouping('words', ['key']);
  const cluster = new LocalCluster({ logger: logger.child({ layer: 'speed' }) });
  cluster.errors$.subscribe(({ error }) => logger.warn({ err: error }, error.message));
  await cluster.submitTopology('wordcount', {}, builder.createTopology());
  return {
    cluster,
    async caughtUp(endOffset, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (((await offsetStore.read(topic, 0)) ?? 0) < endOffset) {
        if (Date.now() > deadline) throw new Error(`the word-count topology did not process the ${endOffset} records of ${topic} within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}

export interface BatchRun extends PublishResult {
  readonly cutOffs: Readonly<Record<string, number>>;
}

/** Recounts the topic up to the highest bucket-aligned offset and publishes it as the next version. */
export async function recomputeBatchView(bootstrap: KafkaEndpoint, topic: string, view: string, keyspace: Keyspace, workDir: string): Promise<BatchRun> {
  const writer = new BatchViewWriter({ keyspace });
  const sc = new BatchContext({ workDirectory: join(workDir, 'batch'), slots: 1 });
  try {
    const { rdd, plan } = await sc.logSnapshot(bootstrap, topic);
    const lastOffsets = Object.fromEntries(plan.partitions.filter((part) => part.cutOffOffset > 0).map((part) => [partitionName(topic, part.partition), part.cutOffOffset - 1]));
    const cutOffs = await writer.cutOffsFor(view, lastOffsets);
    const counts = rdd
      .filter((entry) => entry.offset <= (cutOffs[partitionName(topic, entry.partition)] ?? -1))
      .flatMap((entry) => tokenize(entry.value ?? ''))
      .map((word): [string, number] => [word, 1])
      .reduceByKey((a, b) => a + b);
    const definition = await new ViewCatalog({ keyspace }).get(view);
    const live = (await readPointer({ keyspace }, definition)).pointer;
    const published = await counts.saveAsView(writer, view, (live?.version ?? 0) + 1, cutOffs);
    return { ...published, cutOffs };
  } finally {
    await sc.stop();
  }
}
