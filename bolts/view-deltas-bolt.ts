/**
 * Turns one log event into realtime view deltas with a user's map function and monoid: the
 * (key, value) pairs the map yields for the event are combined per key with the monoid, and one
 * delta per key goes out as (key, delta, partition = '<topic>-<p>', offset, settled).
 *
 * `settled` is passed on from the input's settled field (a LogSpout's settled offset of the
 * partition when it emitted the event; null when the input has none): the realtime view dedups
 * with it a replay that arrives after later offsets of its key (serving/views/README.md).
 *
 * One delta per key per event, because a realtime view applies deltas idempotently per
 * (key, partition, offset): a second delta for the same key and offset would be taken for a
 * replay and dropped. A BasicBolt: emits are anchored to the event's tuple, and a map that throws
 * fails the tuple, so the spout replays it (a map must therefore be deterministic).
 */
import { BaseBasicBolt, isTickTuple, type BasicOutputCollector, type Tuple } from '../core/topology/api/index.js';
import type { OutputFieldsDeclarer } from '../core/topology/builder/components.js';
import type { Monoid } from '../serving/views/monoids/monoid.js';
import { InvalidTupleValueError } from './errors.js';

const NAME = 'ViewDeltasBolt';

/** A log record as a view's map function sees it, in the stream and in the batch job alike. */
export interface ViewEvent {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: string | null;
  readonly value: string | null;
  readonly timestampMs: number;
}

/** From an event to the (key, value) pairs it contributes; a key may appear more than once. */
export type ViewMapFunction<V> = (event: ViewEvent) => Iterable<readonly [string, V]>;

/** The pairs of one event combined per key: what one event adds to each key of the view. */
export function eventDeltas<V>(event: ViewEvent, map: ViewMapFunction<V>, monoid: Monoid<unknown>): Map<string, unknown> {
  const deltas = new Map<string, unknown>();
  for (const [key, value] of map(event)) {
    const delta = monoid.from(value);
    const earlier = deltas.get(key);
    deltas.set(key, earlier === undefined ? delta : monoid.combine(earlier, delta));
  }
  return deltas;
}

export interface ViewDeltasBoltOptions<V> {
  /** Topic of the events, for partition names (`<topic>-<partition>`). */
  readonly topic: string;
  readonly map: ViewMapFunction<V>;
  readonly monoid: Monoid<unknown>;
  /** Input field holding the ViewEvent (default 'event'). */
  readonly eventField?: string;
  /** Input field holding the spout's settled offset, if the input has it (default 'settled'). */
  readonly settledField?: string;
}

export class ViewDeltasBolt<V> extends BaseBasicBolt {
  readonly options: ViewDeltasBoltOptions<V>;

  constructor(options: ViewDeltasBoltOptions<V>) {
    super();
    this.options = options;
  }

  declareOutputFields(declarer: OutputFieldsDeclarer): void {
    declarer.declare(['key', 'delta', 'partition', 'offset', 'settled']);
  }

  execute(input: Tuple, collector: BasicOutputCollector): void {
    if (isTickTuple(input)) return;
    const event = input.getValueByField(this.options.eventField ?? 'event') as ViewEvent | undefined;
    if (typeof event !== 'object' || event === null || !Number.isSafeInteger(event.partition) || !Number.isSafeInteger(event.offset)) {
      throw new InvalidTupleValueError(NAME, this.options.eventField ?? 'event', event, 'a view event with a partition and an offset');
    }
    const settledField = this.options.settledField ?? 'settled';
    const settled = input.contains(settledField) ? input.getValueByField(settledField) : null;
    if (settled !== null && settled !== undefined && (!Number.isSafeInteger(settled) || (settled as number) < 0)) {
      throw new InvalidTupleValueError(NAME, settledField, settled, 'a non-negative settled offset, or null');
    }
    const partition = `${this.options.topic}-${String(event.partition)}`;
    for (const [key, delta] of eventDeltas(event, this.options.map, this.options.monoid)) collector.emit([key, delta, partition, event.offset, settled ?? null]);
  }
}
