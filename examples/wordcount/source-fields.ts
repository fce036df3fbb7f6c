/**
 * What the word-count bolts carry besides the word: its source (partition, offset, position), and
 * a collector decorator that appends those fields to whatever a wrapped bolt emits — so the
 * ready-made bolts (bolts/) can be reused unchanged and still pass the source downstream.
 */
import type { BasicOutputCollector, Tuple } from '../../core/topology/api/index.js';
import { InvalidTupleValueError } from '../../bolts/errors.js';

export const SOURCE_FIELDS = ['partition', 'offset', 'position'] as const;

/** A field holding a partition or offset: a non-negative integer. */
export function sourceNumber(bolt: string, input: Tuple, field: string): number {
  const value = input.getValueByField(field);
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new InvalidTupleValueError(bolt, field, value, 'a non-negative integer');
  return value;
}

/** `collector`, with `suffix()` appended to the values of every emit. */
export function appendingCollector(collector: BasicOutputCollector, suffix: () => readonly unknown[]): BasicOutputCollector {
  const extended = (values: readonly unknown[]): unknown[] => [...values, ...suffix()];
  return {
    emit: (values) => collector.emit(extended(values)),
    emitStream: (streamId, values) => collector.emitStream(streamId, extended(values)),
    emitDirect: (taskId, values, streamId) => collector.emitDirect(taskId, extended(values), streamId),
    reportError: (error) => collector.reportError(error),
  };
}
