/**
 * Ranks the objects one task sees (Storm's IntermediateRankingsBolt): takes (obj, count) tuples —
 * the rolling counter's output — keeps the top N by latest count, and on every tick emits its
 * rankings (all of them, even when empty, so the total rankings bolt replaces its last snapshot
 * of this task). Subscribe with fieldsGrouping on the object field: each object then has one
 * ranking task, and the total of the intermediate top-Ns is the top-N of all objects.
 * Zero counts (an object that left the window) are dropped before emitting.
 */
import { type BasicOutputCollector, type ResolvedConfig, type TopologyContext, type Tuple } from '../core/topology/api/index.js';
import { BoltNotPreparedError, checkFieldName, InvalidTupleValueError } from './errors.js';
import { RankerBolt, type RankerBoltOptions } from './ranker-bolt.js';
import { isRankableObject, Rankings } from './rankings.js';

export interface IntermediateRankingsBoltOptions extends RankerBoltOptions {
  /** Input field of the ranked object (default 'obj'). */
  objectField?: string;
  /** Input field of its count (default 'count'). */
  countField?: string;
}

const NAME = 'IntermediateRankingsBolt';

export class IntermediateRankingsBolt extends RankerBolt {
  readonly objectField: string;
  readonly countField: string;
  private rankings: Rankings | undefined;

  constructor(options: IntermediateRankingsBoltOptions = {}) {
    super(NAME, options);
    this.objectField = checkFieldName(NAME, 'objectField', options.objectField ?? 'obj');
    this.countField = checkFieldName(NAME, 'countField', options.countField ?? 'count');
  }

  override prepare(_config: ResolvedConfig, _context: TopologyContext): void {
    this.rankings = new Rankings(this.topN);
  }

  protected updateRankingsWith(input: Tuple): void {
    const object = input.getValueByField(this.objectField);
    const count = input.getValueByField(this.countField);
    if (!isRankableObject(object)) throw new InvalidTupleValueError(NAME, this.objectField, object, 'a string, number, bigint or boolean');
    if (typeof count !== 'number' || !Number.isFinite(count)) throw new InvalidTupleValueError(NAME, this.countField, count, 'a finite number');
    this.prepared().updateWith({ object, count });
  }

  protected emitRankings(collector: BasicOutputCollector): void {
    const rankings = this.prepared();
    rankings.pruneZeroCounts();
    collector.emit([rankings.toArray()]);
  }

  private prepared(): Rankings {
    if (this.rankings === undefined) throw new BoltNotPreparedError(NAME);
    return this.rankings;
  }
}
