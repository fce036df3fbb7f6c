/**
 * Reads partitions of a Barista log topic and emits one tuple per record (Storm's KafkaSpout with
 * assigned partitions). A task reads either the explicit `partitions` or all partitions of the
 * topic, spread over the spout's tasks by task index (partition i of the list goes to task
 * i mod tasks). It fetches with the Kafka Fetch API (core/log/client/partition-reader.ts) and
 * owns its offsets: a kafkajs consumer would need consumer groups, which the broker does not
 * serve yet — a later issue brings them, and with them group-managed assignment and commits.
 *
 * Guarantees (at-least-once): every record is emitted with message id {partition, offset}. The
 * committed offset of a partition (OffsetStore) only moves to an offset below which every emitted
 * record is fully acked (OffsetTracker), so a restart from it re-reads exactly the records not
 * known to be processed. A failed record is fetched again from the log at its offset and emitted
 * with the same message id. Each emit can also tell the tuple the partition's settled offset at
 * that moment — the committable offset: every record below it has had its tuple tree fully
 * completed (toValues' third argument). A realtime view uses it to dedup replays that arrive after
 * later offsets (serving/views/README.md, "Guarantees"). Reading a partition pauses when `maxPendingPerPartition` offsets wait
 * for acks. Fetches go to the bootstrap broker, which must lead the partitions read (leader
 * routing comes with the consumer-group client).
 */
import { PartitionReader, FetchError } from '../core/log/client/partition-reader.js';
import type { KafkaEndpoint } from '../core/log/client/kafka-connection.js';
import { ErrorCode } from '../core/log/protocol/index.js';
import type { LogRecord } from '../core/log/records/record-decoder.js';
import type { ResolvedConfig } from '../core/topology/api/config.js';
import type { TopologyContext } from '../core/topology/api/context.js';
import { InvalidConfigError } from '../core/topology/api/errors.js';
import { BaseRichSpout, type SpoutOutputCollector } from '../core/topology/api/spout.js';
import type { OutputFieldsDeclarer } from '../core/topology/builder/components.js';
import { checkIntegerOption } from './errors.js';
import { listOffset, partitionsOf, type StartFrom } from '../core/log/client/log-admin.js';
import * as limits from './limits.js';
import { OffsetTracker } from './offset-tracker.js';
import type { OffsetStore } from './offset-store.js';
import { monotonicNowMs } from '../core/clock/monotonic-clock.js';

export interface LogSpoutOptions {
  /** A broker of the log (the leader of the partitions read). */
  readonly bootstrap: KafkaEndpoint;
  readonly topic: string;
  /** Partitions to read (spread over the tasks); default: all partitions of the topic. */
  readonly partitions?: readonly number[];
  /** Where committed offsets are kept and read back on open. */
  readonly offsetStore: OffsetStore;
  /** Where a partition without a committed offset (or with one out of range) starts; default 'earliest'. */
  readonly startFrom?: StartFrom;
  /** Default ['partition', 'offset', 'key', 'value']. */
  readonly fields?: readonly string[];
  /** Record → values; default [partition, offset, key as UTF-8 or null, value as UTF-8 or null].
   * `settledOffset`: the partition's committable offset as the record is emitted (below it every
   * record's tuple tree completed; at most the record's offset unless it was acked meanwhile). */
  readonly toValues?: (record: LogRecord, partition: number, settledOffset: number) => readonly unknown[];
  /** How often committable offsets are written (also on close); default 1000. */
  readonly commitIntervalMs?: number;
  /** Offsets emitted and not yet committable per partition; at the limit that partition pauses. Default 10 000. */
  readonly maxPendingPerPartition?: number;
  /** Default 64. */
  readonly emitsPerCall?: number;
  /** Broker long-poll when a partition has nothing new; default 100. */
  readonly fetchMaxWaitMs?: number;
  /** Default 1 MiB. */
  readonly fetchMaxBytes?: number;
  readonly clientId?: string;
}

export interface LogMessageId {
  readonly partition: number;
  readonly offset: number;
}

interface PartitionRead {
  readonly partition: number;
  /** Where the next fetch of new records starts. */
  fetchOffset: number;
  /** Fetched, not yet emitted. */
  buffer: LogRecord[];
  /** Failed offsets, to fetch again and emit. */
  failed: Set<number>;
  /** Last offset written to the store. */
  committed: number;
}

/** Per-task state, created in open. */
interface Reading {
  readonly collector: SpoutOutputCollector;
  readonly reader: PartitionReader;
  readonly tracker: OffsetTracker;
  readonly partitions: PartitionRead[];
  /** Next partition (index into `partitions`) to emit from: round robin. */
  cursor: number;
  /** Monotonic clock: a stepped wall clock must not hold back (or hurry) the next commit. */
  committedAtMs: number;
}

function defaultValues(record: LogRecord, partition: number): readonly unknown[] {
  return [partition, record.offset, record.key?.toString('utf8') ?? null, record.value?.toString('utf8') ?? null];
}

export class LogSpout extends BaseRichSpout<LogMessageId> {
  /** A class instance: shared by the task copies, each committing only its own partitions. */
  readonly offsetStore: OffsetStore;
  private reading: Reading | undefined;

  constructor(private readonly options: LogSpoutOptions) {
    super();
    if (typeof options.topic !== 'string' || options.topic.length === 0) throw new InvalidConfigError('LogSpout.topic', options.topic, 'a topic name');
    if (options.startFrom !== undefined && options.startFrom !== 'earliest' && options.startFrom !== 'latest') throw new InvalidConfigError('LogSpout.startFrom', options.startFrom, "'earliest' or 'latest'");
    if (options.partitions !== undefined && (options.partitions.length === 0 || options.partitions.length > limits.MAX_PARTITIONS_PER_TASK || options.partitions.some((partition) => !Number.isInteger(partition) || partition < 0))) {
      throw new InvalidConfigError('LogSpout.partitions', options.partitions, `1..${limits.MAX_PARTITIONS_PER_TASK} partition numbers`);
    }
    checkIntegerOption('LogSpout.commitIntervalMs', options.commitIntervalMs, limits.MIN_CHECKPOINT_INTERVAL_MS, limits.MAX_CHECKPOINT_INTERVAL_MS);
    checkIntegerOption('LogSpout.maxPendingPerPartition', options.maxPendingPerPartition, 1, limits.MAX_PENDING_OFFSETS);
    checkIntegerOption('LogSpout.emitsPerCall', options.emitsPerCall, 1, limits.MAX_EMITS_PER_NEXT_TUPLE);
    checkIntegerOption('LogSpout.fetchMaxWaitMs', options.fetchMaxWaitMs, 0, limits.MAX_FETCH_MAX_WAIT_MS);
    checkIntegerOption('LogSpout.fetchMaxBytes', options.fetchMaxBytes, 1, limits.MAX_FETCH_MAX_BYTES);
    this.offsetStore = options.offsetStore;
  }

  declareOutputFields(declarer: OutputFieldsDeclarer): void {
    declarer.declare(this.options.fields ?? ['partition', 'offset', 'key', 'value']);
  }

  /** The partitions this task reads (after open). */
  get assignedPartitions(): readonly number[] {
    return this.reading?.partitions.map((read) => read.partition) ?? [];
  }

  async open(_config: ResolvedConfig, context: TopologyContext, collector: SpoutOutputCollector): Promise<void> {
    const all = this.options.partitions ?? (await partitionsOf(this.options.bootstrap, this.clientId, this.options.topic));
    const tasks = Math.max(1, context.componentTaskIds.length);
    const mine = all.filter((_, index) => index % tasks === context.taskIndex);
    const tracker = new OffsetTracker(this.options.maxPendingPerPartition ?? limits.DEFAULT_MAX_PENDING_OFFSETS);
    const partitions: PartitionRead[] = [];
    for (const partition of mine) {
      const start = (await this.offsetStore.read(this.options.topic, partition)) ?? (await this.startOffset(partition));
      tracker.assign(partition, start);
      partitions.push({ partition, fetchOffset: start, buffer: [], failed: new Set(), committed: start });
    }
    const reader = new PartitionReader(this.options.bootstrap, this.clientId);
    this.reading = { collector, reader, tracker, partitions, cursor: 0, committedAtMs: monotonicNowMs() };
  }

  async nextTuple(): Promise<void> {
    const reading = this.reading;
    if (reading === undefined) return;
    const limit = this.options.emitsPerCall ?? limits.DEFAULT_EMITS_PER_NEXT_TUPLE;
    let emits = await this.replayFailed(reading, limit);
    emits += this.emitBuffered(reading, limit - emits);
    if (emits === 0) {
      await this.fetchNew(reading);
      this.emitBuffered(reading, limit);
    }
    if (monotonicNowMs() - reading.committedAtMs >= (this.options.commitIntervalMs ?? limits.DEFAULT_CHECKPOINT_INTERVAL_MS)) await this.commit();
  }

  override ack(id: LogMessageId): void {
    this.reading?.tracker.acked(id.partition, id.offset);
  }

  override fail(id: LogMessageId): void {
    const reading = this.reading;
    if (reading === undefined || !reading.tracker.isUnacked(id.partition, id.offset)) return;
    reading.partitions.find((read) => read.partition === id.partition)?.failed.add(id.offset);
  }

  /** Writes every partition's committable offset that moved (nextTuple does so every commitIntervalMs). */
  async commit(): Promise<void> {
    const reading = this.reading;
    if (reading === undefined) return;
    reading.committedAtMs = monotonicNowMs();
    for (const read of reading.partitions) {
      const committable = reading.tracker.committable(read.partition);
      if (committable <= read.committed) continue;
      try {
        await this.offsetStore.commit(this.options.topic, read.partition, committable);
        read.committed = committable;
      } catch (error) {
        reading.collector.reportError(error); // kept in memory; the next commit tries again
      }
    }
  }

  override async close(): Promise<void> {
    const reading = this.reading;
    if (reading === undefined) return;
    await this.commit();
    await reading.reader.close();
    this.reading = undefined;
  }

  private get clientId(): string {
    return this.options.clientId ?? 'barista-log-spout';
  }

  private startOffset(partition: number): Promise<number> {
    return listOffset(this.options.bootstrap, this.clientId, this.options.topic, partition, this.options.startFrom ?? 'earliest');
  }

  private emit(reading: Reading, partition: number, record: LogRecord): void {
    const values = (this.options.toValues ?? defaultValues)(record, partition, reading.tracker.committable(partition));
    reading.collector.emit(values, { partition, offset: record.offset } satisfies LogMessageId);
  }

  /** Fetches failed offsets again (one fetch per partition with failures) and emits them. */
  private async replayFailed(reading: Reading, limit: number): Promise<number> {
    let emits = 0;
    for (const read of reading.partitions) {
      if (read.failed.size === 0 || emits >= limit) continue;
      const from = Math.min(...read.failed);
      const result = await this.fetch(reading, read.partition, from, 0);
      if (result === undefined) continue;
      for (const record of result.records) {
        if (!read.failed.delete(record.offset)) continue;
        this.emit(reading, read.partition, record);
        emits += 1;
      }
      // The fetch returned every record from `from` to nextOffset: a failed offset in that range
      // it did not return is no longer in the log (compacted away) and cannot be replayed. Only
      // offsets at or above `from`: fail() runs while the fetch is awaited, and an offset failed
      // meanwhile below `from` was not in the fetched range — acking it would lose the record.
      for (const offset of read.failed) {
        if (offset < from || offset >= result.nextOffset) continue;
        read.failed.delete(offset);
        reading.tracker.acked(read.partition, offset);
      }
    }
    return emits;
  }

  /** Emits buffered records round robin over partitions that are below their pending bound. */
  private emitBuffered(reading: Reading, limit: number): number {
    let emits = 0;
    let idle = 0;
    while (emits < limit && idle < reading.partitions.length) {
      const read = reading.partitions[reading.cursor]!;
      reading.cursor = (reading.cursor + 1) % reading.partitions.length;
      const record = read.buffer[0];
      if (record === undefined || reading.tracker.isFull(read.partition)) {
        idle += 1;
        continue;
      }
      read.buffer.shift();
      reading.tracker.emitted(read.partition, record.offset);
      this.emit(reading, read.partition, record);
      emits += 1;
      idle = 0;
    }
    return emits;
  }

  /** Fetches new records for every partition whose buffer is empty and which may emit more. */
  private async fetchNew(reading: Reading): Promise<void> {
    const ready = reading.partitions.filter((read) => read.buffer.length === 0 && !reading.tracker.isFull(read.partition));
    const maxWaitMs = this.options.fetchMaxWaitMs ?? limits.DEFAULT_FETCH_MAX_WAIT_MS;
    await Promise.all(
      ready.map(async (read) => {
        const result = await this.fetch(reading, read.partition, read.fetchOffset, maxWaitMs);
        if (result === undefined) return;
        read.buffer = result.records;
        read.fetchOffset = result.nextOffset;
      }),
    );
  }

  /** One fetch; errors are reported (an offset out of range resets the partition) and give undefined. */
  private async fetch(reading: Reading, partition: number, offset: number, maxWaitMs: number): Promise<{ records: LogRecord[]; nextOffset: number } | undefined> {
    try {
      return await reading.reader.fetch(this.options.topic, partition, offset, { maxWaitMs, maxBytes: this.options.fetchMaxBytes ?? limits.DEFAULT_FETCH_MAX_BYTES });
    } catch (error) {
      reading.collector.reportError(error);
      if (error instanceof FetchError && error.kafkaErrorCode === ErrorCode.OFFSET_OUT_OF_RANGE) await this.resetOutOfRange(reading, partition);
      return undefined;
    }
  }

  /** The committed offset left the log (retention) or is past its end: restart at `startFrom`, as Kafka's auto.offset.reset does. */
  private async resetOutOfRange(reading: Reading, partition: number): Promise<void> {
    const read = reading.partitions.find((candidate) => candidate.partition === partition);
    if (read === undefined || reading.tracker.pendingCount(partition) > 0) return;
    const start = await this.startOffset(partition).catch((error: unknown) => {
      reading.collector.reportError(error);
      return undefined;
    });
    if (start === undefined) return;
    reading.tracker.assign(partition, start);
    read.fetchOffset = start;
    read.committed = Math.min(read.committed, start);
  }
}
