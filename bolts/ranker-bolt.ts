/**
 * What the intermediate and total rankings bolts share (Storm's AbstractRankerBolt): a top-N size,
 * an emit frequency set as the component's tick frequency, one output field 'rankings' holding a
 * plain array of { object, count } best first, and execute dispatching ticks to emitRankings and
 * every other tuple to updateRankingsWith. Basic bolts: inputs are acked when execute returns.
 */
import { BaseBasicBolt, isTickTuple, type BasicOutputCollector, type TopologyConfig, type Tuple } from '../core/topology/api/index.js';
import { MAX_TICK_FREQUENCY_SECS } from '../core/topology/api/limits.js';
import type { OutputFieldsDeclarer } from '../core/topology/builder/components.js';
import { checkInteger } from './errors.js';
import { DEFAULT_RANKINGS_EMIT_FREQUENCY_SECS, DEFAULT_TOP_N, MAX_TOP_N } from './limits.js';

export interface RankerBoltOptions {
  /** How many objects to rank (default 10). */
  topN?: number;
  /** Seconds between emits of the rankings (default 2). */
  emitFrequencySecs?: number;
}

export abstract class RankerBolt extends BaseBasicBolt {
  readonly topN: number;
  readonly emitFrequencySecs: number;

  constructor(name: string, options: RankerBoltOptions) {
    super();
    this.topN = checkInteger(name, 'topN', options.topN ?? DEFAULT_TOP_N, 1, MAX_TOP_N);
    this.emitFrequencySecs = checkInteger(name, 'emitFrequencySecs', options.emitFrequencySecs ?? DEFAULT_RANKINGS_EMIT_FREQUENCY_SECS, 1, MAX_TICK_FREQUENCY_SECS);
  }

  declareOutputFields(declarer: OutputFieldsDeclarer): void {
    declarer.declare(['rankings']);
  }

  getComponentConfiguration(): TopologyConfig {
    return { 'topology.tick.tuple.freq.secs': this.emitFrequencySecs };
  }

  execute(input: Tuple, collector: BasicOutputCollector): void {
    if (isTickTuple(input)) this.emitRankings(collector);
    else this.updateRankingsWith(input);
  }

  protected abstract updateRankingsWith(input: Tuple): void;
  protected abstract emitRankings(collector: BasicOutputCollector): void;
}
