/**
 * Bolts from plain functions: mapBolt (one tuple out per tuple in), filterBolt (the input's values
 * when a predicate holds) and flatMapBolt (zero or more tuples out per tuple in). All are basic
 * bolts: emits are anchored to the input and the input is acked when the function returns (or its
 * promise resolves); a throw fails the input. Tick tuples are skipped.
 *
 * The output fields are a literal tuple type, so a function returning the wrong number of values
 * is a compile error: mapBolt(['word', 'length'], (t) => [w]) does not type-check.
 * The functions are kept as own properties: every task copy calls the same function, so it must
 * keep no state of its own between calls (use a class bolt and prepare() for that).
 */
import { BaseBasicBolt, isTickTuple, type BasicOutputCollector, type Tuple } from '../core/topology/api/index.js';
import type { OutputFieldsDeclarer } from '../core/topology/builder/components.js';
import { TooManyEmitsError } from './errors.js';
import { MAX_FLAT_MAP_EMITS } from './limits.js';

/** One value per declared field: `readonly [unknown, unknown]` for `['word', 'count']`. */
export type ValuesOf<Fields extends readonly string[]> = { readonly [Index in keyof Fields]: unknown };

type MaybePromise<T> = T | Promise<T>;

export type MapFunction<Fields extends readonly string[]> = (input: Tuple) => MaybePromise<ValuesOf<Fields>>;
export type FilterPredicate = (input: Tuple) => MaybePromise<boolean>;
export type FlatMapFunction<Fields extends readonly string[]> = (input: Tuple) => MaybePromise<Iterable<ValuesOf<Fields>>>;

abstract class FunctionalBolt<Fields extends readonly string[]> extends BaseBasicBolt {
  constructor(readonly outputFields: Fields) {
    super();
  }

  declareOutputFields(declarer: OutputFieldsDeclarer): void {
    declarer.declare(this.outputFields);
  }
}

export class MapBolt<Fields extends readonly string[]> extends FunctionalBolt<Fields> {
  constructor(outputFields: Fields, readonly map: MapFunction<Fields>) {
    super(outputFields);
  }

  async execute(input: Tuple, collector: BasicOutputCollector): Promise<void> {
    if (isTickTuple(input)) return;
    collector.emit(await this.map(input));
  }
}

export class FilterBolt<Fields extends readonly string[]> extends FunctionalBolt<Fields> {
  constructor(outputFields: Fields, readonly keep: FilterPredicate) {
    super(outputFields);
  }

  async execute(input: Tuple, collector: BasicOutputCollector): Promise<void> {
    if (isTickTuple(input)) return;
    if (await this.keep(input)) collector.emit(input.values);
  }
}

export class FlatMapBolt<Fields extends readonly string[]> extends FunctionalBolt<Fields> {
  constructor(outputFields: Fields, readonly expand: FlatMapFunction<Fields>) {
    super(outputFields);
  }

  async execute(input: Tuple, collector: BasicOutputCollector): Promise<void> {
    if (isTickTuple(input)) return;
    let emitted = 0;
    for (const values of await this.expand(input)) {
      // Checked before emitting, so an endless iterable fails the input instead of flooding the topology.
      if (emitted === MAX_FLAT_MAP_EMITS) throw new TooManyEmitsError('FlatMapBolt', MAX_FLAT_MAP_EMITS);
      collector.emit(values);
      emitted += 1;
    }
  }
}

/** A bolt emitting `map(input)` on `outputFields` for every input. */
export function mapBolt<const Fields extends readonly string[]>(outputFields: Fields, map: MapFunction<Fields>): MapBolt<Fields> {
  return new MapBolt(outputFields, map);
}

/** A bolt passing on the values of inputs for which `keep` holds; `outputFields` are the input's fields. */
export function filterBolt<const Fields extends readonly string[]>(outputFields: Fields, keep: FilterPredicate): FilterBolt<Fields> {
  return new FilterBolt(outputFields, keep);
}

/** A bolt emitting every values array `expand(input)` yields. */
export function flatMapBolt<const Fields extends readonly string[]>(outputFields: Fields, expand: FlatMapFunction<Fields>): FlatMapBolt<Fields> {
  return new FlatMapBolt(outputFields, expand);
}
