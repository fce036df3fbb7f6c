/**
 * Plans of the source RDDs: a driver-side collection split into slices, a numeric range, text
 * files split by bytes at line boundaries, and a snapshot of a log topic up to cut-off offsets
 * fixed when the plan is made.
 */
import type { KafkaEndpoint } from '../../../core/log/client/kafka-connection.js';
import { forEachLineOfSplit, planTextSplits, readLogPartition, readTextSplit, type LogSnapshotPlan, type TextSplit } from '../../sources/index.js';
import { InvalidArgumentError } from '../errors.js';
import type { RddPlan } from '../rdd.js';

export function parallelize<T>(values: readonly T[], numSlices: number): RddPlan<T> {
  if (!Number.isInteger(numSlices) || numSlices < 1) throw new InvalidArgumentError('parallelize', `slice count ${numSlices} must be a positive integer`);
  const copy = [...values];
  const slice = (partition: number): T[] => copy.slice(Math.floor((partition * copy.length) / numSlices), Math.floor(((partition + 1) * copy.length) / numSlices));
  return { name: 'parallelize', numPartitions: numSlices, dependencies: [], compute: slice };
}

export function range(start: number, end: number, step: number, numSlices: number): RddPlan<number> {
  if (![start, end, step].every(Number.isSafeInteger) || step === 0) throw new InvalidArgumentError('range', 'start, end and step must be safe integers and step non-zero');
  const count = Math.max(0, Math.ceil((end - start) / step));
  return {
    name: 'range',
    numPartitions: numSlices,
    dependencies: [],
    detail: `${start} until ${end} by ${step}`,
    *compute(partition) {
      const first = Math.floor((partition * count) / numSlices);
      const last = Math.floor(((partition + 1) * count) / numSlices);
      for (let index = first; index < last; index++) yield start + index * step;
    },
  };
}

export function textFile(paths: string | readonly string[], minPartitions: number): RddPlan<string> {
  const splits = planTextSplits(paths, { minSplits: minPartitions });
  return {
    name: 'textFile',
    numPartitions: splits.length,
    dependencies: [],
    detail: typeof paths === 'string' ? paths : paths.join(','),
    compute: (partition) => readTextSplit(splits[partition] as TextSplit),
    forEach: (partition, _task, sink) => forEachLineOfSplit(splits[partition] as TextSplit, sink),
  };
}

/** One log record as the batch layer sees it. */
export interface LogEntry {
  readonly partition: number;
  readonly offset: number;
  readonly key: string | null;
  readonly value: string | null;
  readonly timestampMs: number;
}

/** One RDD partition per log partition, read over the Kafka protocol before the task computes. */
export function logSnapshot(bootstrap: KafkaEndpoint, plan: LogSnapshotPlan): RddPlan<LogEntry> {
  const loaded = new Map<number, LogEntry[]>();
  return {
    name: 'logSnapshot',
    numPartitions: plan.partitions.length,
    dependencies: [],
    detail: `${plan.topic} ${plan.partitions.map((part) => `${part.partition}:[${part.startOffset},${part.cutOffOffset})`).join(' ')}`,
    async prefetch(partition) {
      const part = plan.partitions[partition];
      if (part === undefined) return;
      const entries: LogEntry[] = [];
      for await (const chunk of readLogPartition(bootstrap, plan.topic, part.partition, part.startOffset, part.cutOffOffset)) {
        for (const record of chunk) {
          entries.push({
            partition: part.partition,
            offset: record.offset,
            key: record.key === null ? null : record.key.toString('utf8'),
            value: record.value === null ? null : record.value.toString('utf8'),
            timestampMs: record.timestampMs,
          });
        }
      }
      loaded.set(partition, entries);
    },
    compute(partition) {
      const entries = loaded.get(partition) ?? [];
      loaded.delete(partition);
      return entries;
    },
  };
}
