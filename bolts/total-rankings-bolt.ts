/**
 * Merges intermediate rankings into the global top N (Storm's TotalRankingsBolt); subscribe with
 * globalGrouping so one task sees every intermediate ranking, and on every tick it emits the total.
 *
 * Unlike Storm, which folds each received ranking into one running Rankings, this bolt keeps the
 * latest rankings of each upstream task and merges those snapshots on each tick. Folding keeps an
 * object that fell out of an intermediate top-N at its last count forever (nothing ever replaces
 * it); with snapshots, an object absent from its task's latest rankings is gone from the total too.
 * Since each object is ranked by one intermediate task, the merge is exactly the top N of all
 * objects (see the merge property of rankings.ts). Memory: at most MAX_RANKINGS_SOURCES snapshots
 * of topN items each.
 */
import { type BasicOutputCollector, type ResolvedConfig, type TopologyContext, type Tuple } from '../core/topology/api/index.js';
import { BoltNotPreparedError, checkFieldName, InvalidTupleValueError, TooManySourcesError } from './errors.js';
import { MAX_RANKINGS_SOURCES } from './limits.js';
import { RankerBolt, type RankerBoltOptions } from './ranker-bolt.js';
import { Rankings, toRankable, type Rankable } from './rankings.js';

export interface TotalRankingsBoltOptions extends RankerBoltOptions {
  /** Input field holding an array of { object, count } (default 'rankings'). */
  rankingsField?: string;
}

const NAME = 'TotalRankingsBolt';

export class TotalRankingsBolt extends RankerBolt {
  readonly rankingsField: string;
  /** Upstream task id → its latest rankings. */
  private snapshots: Map<string, readonly Rankable[]> | undefined;

  constructor(options: TotalRankingsBoltOptions = {}) {
    super(NAME, options);
    this.rankingsField = checkFieldName(NAME, 'rankingsField', options.rankingsField ?? 'rankings');
  }

  override prepare(_config: ResolvedConfig, _context: TopologyContext): void {
    this.snapshots = new Map();
  }

  protected updateRankingsWith(input: Tuple): void {
    const snapshots = this.prepared();
    const value = input.getValueByField(this.rankingsField);
    if (!Array.isArray(value)) throw new InvalidTupleValueError(NAME, this.rankingsField, value, 'an array of { object, count }');
    const items = value.map((item: unknown) => toRankable(NAME, this.rankingsField, item));
    const source = `${input.sourceComponent}:${input.sourceTask}`;
    if (!snapshots.has(source) && snapshots.size >= MAX_RANKINGS_SOURCES) throw new TooManySourcesError(NAME, input.sourceTask, MAX_RANKINGS_SOURCES);
    snapshots.set(source, items);
  }

  protected emitRankings(collector: BasicOutputCollector): void {
    const total = new Rankings(this.topN);
    for (const items of this.prepared().values()) total.mergeWith(items);
    total.pruneZeroCounts();
    collector.emit([total.toArray()]);
  }

  private prepared(): Map<string, readonly Rankable[]> {
    if (this.snapshots === undefined) throw new BoltNotPreparedError(NAME);
    return this.snapshots;
  }
}
