/**
 * A Lambda view written once (Summingbird's idea): a log topic, a map from an event to
 * (key, value) pairs, and a commutative monoid. The same definition runs
 * - as a topology (speed layer): LogSpout → ViewDeltasBolt (fields-grouped on the partition, so a
 *   partition's deltas stay in offset order) → ServingSinkBolt (fields-grouped on the key), writing
 *   per-event deltas tagged with their log position and the spout's settled offset into the
 *   realtime side of the view (exact even when replays arrive after later offsets);
 * - as an RDD job (batch layer): a snapshot of the log up to bucket-aligned cut-offs, mapped and
 *   reduced by key with the same monoid, published as the view's next batch version.
 * A query reads batch(N) ⊕ the realtime deltas above N's cut-offs, which equals a recount of the log
 * up to the offsets it reports (serving/views/README.md, "Guarantees").
 */
import type { KafkaEndpoint } from '../core/log/client/kafka-connection.js';
import type { LogRecord } from '../core/log/records/record-decoder.js';
import { TopologyBuilder } from '../core/topology/builder/topology-builder.js';
import type { TopologyDefinition } from '../core/topology/builder/topology-definition.js';
import type { BatchContext } from '../batch/context/batch-context.js';
import type { Consistency, Keyspace } from '../serving/keyspace/keyspace.js';
import { ViewCatalog, type ViewDefinition } from '../serving/views/catalog.js';
import { BatchViewWriter, type PublishResult } from '../serving/views/batch-view-writer.js';
import { partitionName, type CutOffs } from '../serving/views/log-position.js';
import { readPointer } from '../serving/views/pointer.js';
import { ViewReader, type RankedKey, type ViewAnswer } from '../serving/views/view-reader.js';
import type { Monoid } from '../serving/views/monoids/monoid.js';
import { monoidFromSpec, registerMonoid, USER_MONOID_SPEC } from '../serving/views/monoids/registry.js';
import { DEFAULT_BUCKET_OFFSETS } from '../serving/views/limits.js';
import type { StartFrom } from '../core/log/client/log-admin.js';
import { LogSpout } from '../spouts/log-spout.js';
import type { OffsetStore } from '../spouts/offset-store.js';
import { ViewDeltasBolt, eventDeltas, type ViewEvent, type ViewMapFunction } from '../bolts/view-deltas-bolt.js';
import { ServingSinkBolt } from '../bolts/serving-sink-bolt.js';
import { InvalidLambdaViewError } from './errors.js';
import { DEFAULT_SPEED_MAX_SPOUT_PENDING, DEFAULT_SPEED_PARALLELISM, SPEED_COMMIT_INTERVAL_MS } from './limits.js';

export type { ViewEvent, ViewMapFunction } from '../bolts/view-deltas-bolt.js';

export interface LambdaViewSpec<V> {
  /** The log topic the view aggregates (every partition). */
  readonly source: string;
  /** From an event to (key, value) pairs; must be deterministic (replays and the batch rerun it). */
  readonly map: ViewMapFunction<V>;
  /** A monoid spec ('sum', 'max', 'min', 'set', 'topn:10', 'hll', …) or a monoid object. */
  readonly monoid: string | Monoid<unknown>;
  /** Offsets per realtime bucket: the batch cut-off granularity (default serving's). */
  readonly bucketOffsets?: number;
}

/** Where a view's data lives: a serving keyspace (in process, or a RespKeyspace to a node). */
export interface ViewStore {
  readonly keyspace: Keyspace;
  readonly consistency?: Consistency;
}

export interface SpeedLayerOptions extends ViewStore {
  /** A broker of the log. */
  readonly bootstrap: KafkaEndpoint;
  /** Where the spout commits fully processed offsets (and resumes from after a restart). */
  readonly offsetStore: OffsetStore;
  /** Tasks of the map and sink bolts (default 2). */
  readonly parallelism?: number;
  readonly maxSpoutPending?: number;
  readonly startFrom?: StartFrom;
  /** Component id prefix, for several views in one topology (default the view name). */
  readonly prefix?: string;
}

export interface BatchLayerOptions extends ViewStore {
  readonly bootstrap: KafkaEndpoint;
  readonly context: BatchContext;
}

export interface LambdaBatchRun extends PublishResult {
  /** Partition name → last offset the published version covers. */
  readonly cutOffs: CutOffs;
}

const VIEW_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

function resolveMonoid(monoid: string | Monoid<unknown>): Monoid<unknown> {
  if (typeof monoid === 'string') return monoidFromSpec(monoid);
  // A user's own monoid: registered so this process's catalog, readers and writers resolve its spec.
  if (USER_MONOID_SPEC.test(monoid.spec)) registerMonoid(monoid);
  return monoid;
}

export class LambdaView<V = unknown> {
  readonly name: string;
  readonly topic: string;
  readonly map: ViewMapFunction<V>;
  readonly monoid: Monoid<unknown>;
  readonly bucketOffsets: number;

  constructor(name: string, spec: LambdaViewSpec<V>) {
    if (!VIEW_NAME.test(name)) throw new InvalidLambdaViewError(name, 'its name must be 1 to 128 letters, digits, _ . or -');
    if (typeof spec.source !== 'string' || spec.source.length === 0) throw new InvalidLambdaViewError(name, 'source must name a log topic');
    if (typeof spec.map !== 'function') throw new InvalidLambdaViewError(name, 'map must be a function from an event to [key, value] pairs');
    const bucketOffsets = spec.bucketOffsets ?? DEFAULT_BUCKET_OFFSETS;
    if (!Number.isSafeInteger(bucketOffsets) || bucketOffsets < 1) throw new InvalidLambdaViewError(name, `bucketOffsets must be a positive integer, not ${String(bucketOffsets)}`);
    this.name = name;
    this.topic = spec.source;
    this.map = spec.map;
    this.monoid = resolveMonoid(spec.monoid);
    this.bucketOffsets = bucketOffsets;
  }

  /** What one event adds to each key: the map's pairs combined per key. */
  deltasOf(event: ViewEvent): Map<string, unknown> {
    return eventDeltas(event, this.map, this.monoid);
  }

  /** Creates the view in the store (idempotent; refuses a different monoid or bucket size). */
  async create(store: ViewStore): Promise<ViewDefinition> {
    const { definition } = await new ViewCatalog(store).create(this.name, this.monoid.spec, { bucketOffsets: this.bucketOffsets });
    return definition;
  }

  /** The speed layer's components, added to a builder (several views may share one topology). */
  addTo(builder: TopologyBuilder, options: SpeedLayerOptions): void {
    const prefix = options.prefix ?? this.name;
    const parallelism = options.parallelism ?? DEFAULT_SPEED_PARALLELISM;
    const topic = this.topic;
    const spout = new LogSpout({
      bootstrap: options.bootstrap,
      topic,
      offsetStore: options.offsetStore,
      commitIntervalMs: SPEED_COMMIT_INTERVAL_MS,
      ...(options.startFrom === undefined ? {} : { startFrom: options.startFrom }),
      // settled: the partition's committable offset at emit, so the view counts a replay that lands
      // after later offsets of its key (a worker died holding it while the spout lived on).
      fields: ['partition', 'event', 'settled'],
      toValues: (record: LogRecord, partition: number, settled: number) => [partition, toEvent(topic, partition, record), settled],
    });
    builder.setSpout(`${prefix}-log`, spout).setMaxSpoutPending(options.maxSpoutPending ?? DEFAULT_SPEED_MAX_SPOUT_PENDING);
    builder.setBolt(`${prefix}-map`, new ViewDeltasBolt({ topic, map: this.map, monoid: this.monoid }), parallelism).fieldsGrouping(`${prefix}-log`, ['partition']);
    const sinkOptions = { keyspace: options.keyspace, view: this.name, ...(options.consistency === undefined ? {} : { consistency: options.consistency }) };
    builder.setBolt(`${prefix}-view`, new ServingSinkBolt(sinkOptions), parallelism).fieldsGrouping(`${prefix}-map`, ['key']);
  }

  /** The speed layer as a topology of its own. */
  speedTopology(options: SpeedLayerOptions): TopologyDefinition {
    const builder = new TopologyBuilder();
    this.addTo(builder, options);
    return builder.createTopology();
  }

  /**
   * One batch run: recounts the log up to the highest bucket-aligned offsets it can read and
   * publishes the result as the view's next version (realtime deltas at or below its cut-offs
   * are superseded when it goes live). Two concurrent runs cannot both go live: the later
   * publish fails with StaleBatchVersionError.
   */
  async recompute(options: BatchLayerOptions): Promise<LambdaBatchRun> {
    const definition = await this.create(options);
    const writer = new BatchViewWriter(options);
    const { rdd, plan } = await options.context.logSnapshot(options.bootstrap, this.topic);
    const readable = Object.fromEntries(plan.partitions.filter((part) => part.cutOffOffset > 0).map((part) => [partitionName(this.topic, part.partition), part.cutOffOffset - 1]));
    const cutOffs = await writer.cutOffsFor(this.name, readable);
    const topic = this.topic;
    const { map, monoid } = this;
    const values = rdd
      .filter((entry) => entry.offset <= (cutOffs[partitionName(topic, entry.partition)] ?? -1))
      .flatMap((entry) => eventDeltas({ topic, ...entry }, map, monoid))
      // Values come back from the shuffle as structured clones: `from` restores the monoid's own type.
      .reduceByKey((left, right) => monoid.combine(monoid.from(left), monoid.from(right)));
    const live = (await readPointer(options, definition)).pointer;
    const published = await values.saveAsView(writer, this.name, (live?.version ?? 0) + 1, cutOffs);
    return { ...published, cutOffs };
  }

  /** The merged answer for one key. */
  get(store: ViewStore, key: string | Buffer): Promise<ViewAnswer> {
    return new ViewReader(store).get(this.name, key);
  }

  /** The n highest keys (monoids with an order: sum, max, min, hll). */
  top(store: ViewStore, n: number): Promise<RankedKey[]> {
    return new ViewReader(store).top(this.name, n);
  }
}

function toEvent(topic: string, partition: number, record: LogRecord): ViewEvent {
  return {
    topic,
    partition,
    offset: record.offset,
    key: record.key === null ? null : record.key.toString('utf8'),
    value: record.value === null ? null : record.value.toString('utf8'),
    timestampMs: record.timestampMs,
  };
}

/** `lambda.view(name, { source, map, monoid })`: the one place an aggregation is defined. */
export const lambda = {
  view<V>(name: string, spec: LambdaViewSpec<V>): LambdaView<V> {
    return new LambdaView(name, spec);
  },
};
