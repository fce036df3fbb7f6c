/**
 * Writes tuples to a topic of the log (any Kafka-protocol broker, Barista's own included) with a
 * kafkajs producer: one record per tuple, its key and value taken from configurable fields (by
 * default no key, and the value a JSON object of all the tuple's fields).
 *
 * At-least-once: an input is acked only after the produce request holding its record resolves
 * (acks=-1 by default: the in-sync replicas have it), and failed when the request rejects, so the
 * spout replays it. Records are batched: a batch is closed when it holds maxBatchRecords, after
 * lingerMs, on a tick, or at cleanup. Closed batches are sent one request at a time, in order
 * (Kafka's max.in.flight=1): with several requests in flight a broker may append a later batch
 * first, and a task's records would land out of order. At most MAX_LOG_SINK_IN_FLIGHT_BATCHES
 * closed batches wait per task; beyond it execute waits for one to settle (backpressure to the
 * spout). A failed batch's records come back later, through the spout's replay, after the
 * records sent since.
 *
 * The producer is per task, made and connected in prepare and disconnected in cleanup.
 */
import { Kafka, logLevel, type Message, type Producer } from 'kafkajs';
import { BaseRichBolt, isTickTuple, type OutputCollector, type ResolvedConfig, type TopologyContext, type Tuple } from '../core/topology/api/index.js';
import type { OutputFieldsDeclarer } from '../core/topology/builder/components.js';
import { BoltNotPreparedError, checkFieldName, checkInteger, InvalidBoltOptionError } from './errors.js';
import {
  DEFAULT_LOG_SINK_BATCH_RECORDS,
  DEFAULT_LOG_SINK_LINGER_MS,
  DEFAULT_LOG_SINK_RETRIES,
  MAX_LOG_SINK_BATCH_RECORDS,
  MAX_LOG_SINK_IN_FLIGHT_BATCHES,
  MAX_LOG_SINK_LINGER_MS,
  MAX_LOG_SINK_RETRIES,
} from './limits.js';
import { kafkajsLogCreator } from '../core/telemetry/kafkajs-logger.js';

export interface LogSinkBoltOptions {
  /** Bootstrap brokers, "host:port". */
  brokers: readonly string[];
  topic: string;
  /** Field whose value is the record key (default: no key). */
  keyField?: string;
  /** Field whose value is the record value (default: a JSON object of every field). */
  valueField?: string;
  clientId?: string;
  /** Records per produce request (default 500). */
  maxBatchRecords?: number;
  /** How long a partial batch waits for more records (default 5 ms). */
  lingerMs?: number;
  /** -1: all in-sync replicas (default); 1: the leader. */
  acks?: -1 | 1;
  /** kafkajs retries of one request before its tuples are failed (default 3). */
  retries?: number;
  /** Let the broker create a missing topic (default false: a missing topic fails the tuples). */
  allowAutoTopicCreation?: boolean;
}

const NAME = 'LogSinkBolt';

interface Batch {
  readonly inputs: Tuple[];
  readonly messages: Message[];
}

interface TaskState {
  readonly collector: OutputCollector;
  readonly producer: Producer;
  pending: Batch;
  lingerTimer: NodeJS.Timeout | undefined;
  /** Closed batches not yet settled, each chained after the one before. */
  readonly inFlight: Set<Promise<void>>;
  /** The last closed batch's promise: the next one is sent when it settles. */
  tail: Promise<void>;
  sentBatches: number;
}

/** A record key or value: strings and Buffers as they are, null as null, a bigint in decimal, anything else as JSON. */
export function encodeRecordValue(value: unknown): string | Buffer | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || Buffer.isBuffer(value)) return value;
  if (typeof value === 'bigint') return value.toString();
  return JSON.stringify(value, (_key, each: unknown) => (typeof each === 'bigint' ? each.toString() : each));
}

function tupleAsObject(input: Tuple): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  input.fields.forEach((field, position) => (object[field] = input.getValue(position)));
  return object;
}

export class LogSinkBolt extends BaseRichBolt {
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly keyField: string | undefined;
  readonly valueField: string | undefined;
  readonly clientId: string;
  readonly maxBatchRecords: number;
  readonly lingerMs: number;
  readonly acks: -1 | 1;
  readonly retries: number;
  readonly allowAutoTopicCreation: boolean;
  private task: TaskState | undefined;

  constructor(options: LogSinkBoltOptions) {
    super();
    if (!Array.isArray(options.brokers) || options.brokers.length === 0) throw new InvalidBoltOptionError(NAME, 'brokers', options.brokers, 'a non-empty list of "host:port"');
    if (typeof options.topic !== 'string' || options.topic.length === 0) throw new InvalidBoltOptionError(NAME, 'topic', options.topic, 'a topic name');
    if (options.acks !== undefined && options.acks !== -1 && options.acks !== 1) throw new InvalidBoltOptionError(NAME, 'acks', options.acks, '-1 or 1');
    this.brokers = [...options.brokers];
    this.topic = options.topic;
    this.keyField = options.keyField === undefined ? undefined : checkFieldName(NAME, 'keyField', options.keyField);
    this.valueField = options.valueField === undefined ? undefined : checkFieldName(NAME, 'valueField', options.valueField);
    this.clientId = options.clientId ?? 'barista-log-sink';
    this.maxBatchRecords = checkInteger(NAME, 'maxBatchRecords', options.maxBatchRecords ?? DEFAULT_LOG_SINK_BATCH_RECORDS, 1, MAX_LOG_SINK_BATCH_RECORDS);
    this.lingerMs = checkInteger(NAME, 'lingerMs', options.lingerMs ?? DEFAULT_LOG_SINK_LINGER_MS, 0, MAX_LOG_SINK_LINGER_MS);
    this.acks = options.acks ?? -1;
    this.retries = checkInteger(NAME, 'retries', options.retries ?? DEFAULT_LOG_SINK_RETRIES, 0, MAX_LOG_SINK_RETRIES);
    this.allowAutoTopicCreation = options.allowAutoTopicCreation ?? false;
  }

  declareOutputFields(_declarer: OutputFieldsDeclarer): void {}

  async prepare(_config: ResolvedConfig, context: TopologyContext, collector: OutputCollector): Promise<void> {
    const kafka = new Kafka({
      clientId: this.clientId,
      brokers: [...this.brokers],
      retry: { retries: this.retries },
      logLevel: logLevel.WARN,
      logCreator: kafkajsLogCreator(context.logger),
    });
    const producer = kafka.producer({ allowAutoTopicCreation: this.allowAutoTopicCreation, retry: { retries: this.retries } });
    await producer.connect();
    this.task = { collector, producer, pending: { inputs: [], messages: [] }, lingerTimer: undefined, inFlight: new Set(), tail: Promise.resolve(), sentBatches: 0 };
  }

  execute(input: Tuple): void | Promise<void> {
    const task = this.prepared();
    if (isTickTuple(input)) {
      this.flush(task);
      task.collector.ack(input);
      return;
    }
    let message: Message;
    try {
      message = this.messageOf(input);
    } catch (error) {
      task.collector.reportError(error);
      task.collector.fail(input);
      return;
    }
    task.pending.inputs.push(input);
    task.pending.messages.push(message);
    if (task.pending.messages.length >= this.maxBatchRecords) this.flush(task);
    else task.lingerTimer ??= setTimeout(() => this.flush(task), this.lingerMs);
    // The runtime calls execute again only when this settles: one waiter at most.
    if (task.inFlight.size >= MAX_LOG_SINK_IN_FLIGHT_BATCHES) return Promise.race(task.inFlight);
  }

  /** Sends what is pending, waits for every batch in flight, and disconnects the producer. */
  override async cleanup(): Promise<void> {
    const task = this.task;
    if (task === undefined) return;
    this.flush(task);
    await Promise.all(task.inFlight);
    await task.producer.disconnect();
    this.task = undefined;
  }

  /** Produce requests this task has sent. */
  get sentBatches(): number {
    return this.task?.sentBatches ?? 0;
  }

  private flush(task: TaskState): void {
    clearTimeout(task.lingerTimer);
    task.lingerTimer = undefined;
    const batch = task.pending;
    if (batch.messages.length === 0) return;
    task.pending = { inputs: [], messages: [] };
    // Never rejects (a throw while acking is reported), so the chain never breaks.
    const sending: Promise<void> = task.tail
      .then(() => this.send(task, batch))
      .catch((error: unknown) => task.collector.reportError(error))
      .finally(() => task.inFlight.delete(sending));
    task.tail = sending;
    task.inFlight.add(sending);
  }

  private async send(task: TaskState, batch: Batch): Promise<void> {
    task.sentBatches += 1;
    try {
      await task.producer.send({ topic: this.topic, acks: this.acks, messages: batch.messages });
    } catch (error) {
      task.collector.reportError(error);
      for (const input of batch.inputs) task.collector.fail(input);
      return;
    }
    for (const input of batch.inputs) task.collector.ack(input);
  }

  private messageOf(input: Tuple): Message {
    const value = encodeRecordValue(this.valueField === undefined ? tupleAsObject(input) : input.getValueByField(this.valueField));
    const key = this.keyField === undefined ? null : encodeRecordValue(input.getValueByField(this.keyField));
    return { key, value };
  }

  private prepared(): TaskState {
    if (this.task === undefined) throw new BoltNotPreparedError(NAME);
    return this.task;
  }
}
