/**
 * A topic of the Barista log as batch input: a snapshot fixed when the job starts.
 *
 * planLogSnapshot asks the broker, once, for every partition's latest offset (ListOffsets latest,
 * which for a consumer is the high watermark: only records every in-sync replica holds) and uses
 * it as the partition's cut-off. The batch job covers offsets in [startOffset, cutOffOffset): the
 * cut-off is exclusive, the next offset after the snapshot, so it is also the checkpoint the next
 * run passes back as `from`, and the offsets the realtime layer must cover are those ≥ cut-off.
 * startOffset is the partition's earliest offset, or the checkpoint given in `from`.
 *
 * readLogPartition fetches one partition from startOffset until the fetch position reaches the
 * cut-off, yielding records strictly below the cut-off in offset order, none skipped; records
 * written after planning are never read, however long the job runs. It asks the bootstrap broker
 * (the partition's leader in a one-broker cluster); following leader changes and reading closed
 * segments directly from local disk when co-located are left to later work.
 */
import type { KafkaEndpoint } from '../../core/log/client/kafka-connection.js';
import { FetchError, PartitionReader } from '../../core/log/client/partition-reader.js';
import type { LogRecord } from '../../core/log/records/record-decoder.js';
import { listOffset, partitionsOf, type StartFrom } from '../../core/log/client/log-admin.js';
import { InvalidSourceOptionError, LogSourceError } from './errors.js';
import { DEFAULT_LOG_FETCH_MAX_BYTES, LOG_FETCH_MAX_WAIT_MS, MAX_EMPTY_LOG_FETCHES, MAX_LOG_FETCH_MAX_BYTES } from './limits.js';

export type { LogRecord } from '../../core/log/records/record-decoder.js';

const DEFAULT_CLIENT_ID = 'barista-batch';

export interface LogSnapshotPartition {
  readonly partition: number;
  /** First offset to read. */
  readonly startOffset: number;
  /** Exclusive: records at offsets < cutOffOffset belong to the snapshot. */
  readonly cutOffOffset: number;
}

export interface LogSnapshotPlan {
  readonly topic: string;
  /** Every partition of the topic, ascending. */
  readonly partitions: readonly LogSnapshotPartition[];
}

export interface LogSnapshotOptions {
  bootstrap: KafkaEndpoint;
  topic: string;
  /** Per partition, the offset to start from (a previous snapshot's cutOffOffset); partitions not
   * named start at their earliest offset. */
  from?: Readonly<Record<number, number>>;
  clientId?: string;
}

async function askOffset(options: LogSnapshotOptions, partition: number, which: StartFrom): Promise<number> {
  try {
    return await listOffset(options.bootstrap, options.clientId ?? DEFAULT_CLIENT_ID, options.topic, partition, which);
  } catch (error) {
    throw new LogSourceError('LIST_OFFSETS_FAILED', options.topic, partition, `cannot list the ${which} offset (${(error as Error).message})`, error);
  }
}

async function topicPartitions(options: LogSnapshotOptions): Promise<number[]> {
  try {
    return await partitionsOf(options.bootstrap, options.clientId ?? DEFAULT_CLIENT_ID, options.topic);
  } catch (error) {
    throw new LogSourceError('TOPIC_NOT_FOUND', options.topic, undefined, `${(error as Error).message}`, error);
  }
}

function checkCheckpoint(topic: string, partition: number, from: number, earliest: number, cutOff: number): void {
  if (!Number.isSafeInteger(from) || from < 0) throw new InvalidSourceOptionError(`from[${partition}]`, from, 'a non-negative integer offset');
  if (from < earliest) {
    throw new LogSourceError('CHECKPOINT_OUT_OF_RANGE', topic, partition, `checkpoint ${from} is below the earliest offset ${earliest}: records were deleted by retention; restart from the earliest offset (and accept the loss) or keep the log longer`);
  }
  if (from > cutOff) {
    throw new LogSourceError('CHECKPOINT_OUT_OF_RANGE', topic, partition, `checkpoint ${from} is past the latest offset ${cutOff}: was the topic deleted and created again? drop the checkpoint to read it from the start`);
  }
}

async function planPartition(options: LogSnapshotOptions, partition: number): Promise<LogSnapshotPartition> {
  const cutOffOffset = await askOffset(options, partition, 'latest');
  const earliest = await askOffset(options, partition, 'earliest');
  const from = options.from?.[partition];
  if (from === undefined) return { partition, startOffset: earliest, cutOffOffset };
  checkCheckpoint(options.topic, partition, from, earliest, cutOffOffset);
  return { partition, startOffset: from, cutOffOffset };
}

/** Fixes the snapshot of `topic`: per partition, where to start and the exclusive cut-off. */
export async function planLogSnapshot(options: LogSnapshotOptions): Promise<LogSnapshotPlan> {
  const partitions = await topicPartitions(options);
  for (const named of Object.keys(options.from ?? {})) {
    if (!partitions.includes(Number(named))) {
      throw new LogSourceError('CHECKPOINT_OUT_OF_RANGE', options.topic, Number(named), `a checkpoint names partition ${named}, which the topic (partitions ${partitions.join(', ')}) does not have`);
    }
  }
  return { topic: options.topic, partitions: await Promise.all(partitions.map((partition) => planPartition(options, partition))) };
}

export interface ReadLogPartitionOptions {
  /** Bytes per fetch (default DEFAULT_LOG_FETCH_MAX_BYTES); a first batch larger than this still comes whole. */
  maxBytes?: number;
  clientId?: string;
}

function checkReadArguments(startOffset: number, cutOffOffset: number, maxBytes: number): void {
  if (!Number.isSafeInteger(startOffset) || startOffset < 0) throw new InvalidSourceOptionError('startOffset', startOffset, 'a non-negative integer');
  if (!Number.isSafeInteger(cutOffOffset) || cutOffOffset < startOffset) throw new InvalidSourceOptionError('cutOffOffset', cutOffOffset, `an integer ≥ startOffset ${startOffset}`);
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1 || maxBytes > MAX_LOG_FETCH_MAX_BYTES) throw new InvalidSourceOptionError('maxBytes', maxBytes, `an integer in 1..${MAX_LOG_FETCH_MAX_BYTES}`);
}

/**
 * The records of one partition at offsets in [startOffset, cutOffOffset), in offset order, as
 * chunks (one per fetch, never empty). One connection, closed when the iteration ends or stops.
 */
export async function* readLogPartition(
  bootstrap: KafkaEndpoint,
  topic: string,
  partition: number,
  startOffset: number,
  cutOffOffset: number,
  options: ReadLogPartitionOptions = {},
): AsyncGenerator<LogRecord[], void, undefined> {
  const maxBytes = options.maxBytes ?? DEFAULT_LOG_FETCH_MAX_BYTES;
  checkReadArguments(startOffset, cutOffOffset, maxBytes);
  if (startOffset === cutOffOffset) return;
  const reader = new PartitionReader(bootstrap, options.clientId ?? DEFAULT_CLIENT_ID);
  try {
    let position = startOffset;
    let emptyFetches = 0;
    while (position < cutOffOffset) {
      const fetched = await fetchAt(reader, topic, partition, position, maxBytes);
      const records = fetched.records.filter((record) => record.offset < cutOffOffset);
      checkOrder(topic, partition, position, records);
      if (fetched.nextOffset <= position) {
        emptyFetches += 1;
        if (emptyFetches > MAX_EMPTY_LOG_FETCHES) {
          throw new LogSourceError('LOG_READ_STALLED', topic, partition, `${emptyFetches} fetches at offset ${position} returned nothing below the cut-off ${cutOffOffset} (high watermark ${fetched.highWatermark}): has the leader changed or the log been truncated?`);
        }
        continue;
      }
      emptyFetches = 0;
      position = fetched.nextOffset;
      if (records.length > 0) yield records;
    }
  } finally {
    await reader.close();
  }
}

async function fetchAt(reader: PartitionReader, topic: string, partition: number, offset: number, maxBytes: number) {
  try {
    return await reader.fetch(topic, partition, offset, { maxWaitMs: LOG_FETCH_MAX_WAIT_MS, maxBytes });
  } catch (error) {
    const hint = error instanceof FetchError ? ' (an offset out of range means retention deleted records the plan expected)' : '';
    throw new LogSourceError('LOG_READ_FAILED', topic, partition, `fetch at offset ${offset} failed: ${(error as Error).message}${hint}`, error);
  }
}

/** Invariant: a fetch answers records at or after its offset, strictly increasing. */
function checkOrder(topic: string, partition: number, position: number, records: readonly LogRecord[]): void {
  let previous = position - 1;
  for (const record of records) {
    if (record.offset <= previous) {
      throw new LogSourceError('LOG_READ_FAILED', topic, partition, `broker answered offset ${record.offset} after ${previous} for a fetch at ${position}: records out of order`);
    }
    previous = record.offset;
  }
}
