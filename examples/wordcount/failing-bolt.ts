/**
 * Fault injection for tests: passes every tuple through unchanged, except a seeded random
 * fraction that it fails (FailedException), so their spout tuple trees are replayed. Each task
 * draws from its own generator, seeded with `seed` plus its task index, so a run's failure
 * pattern depends only on the seed and on the order tuples arrive in.
 */
import { BaseBasicBolt, FailedException, isTickTuple, type BasicOutputCollector, type ResolvedConfig, type TopologyContext, type Tuple } from '../../core/topology/api/index.js';
import type { OutputFieldsDeclarer } from '../../core/topology/builder/components.js';
import { mulberry32 } from '../../core/random/mulberry32.js';
import { BoltNotPreparedError, InvalidBoltOptionError } from '../../bolts/errors.js';

export interface FailingBoltOptions {
  /** The input fields, passed on as the output fields. */
  readonly fields: readonly string[];
  /** Fraction of tuples failed, 0..1. */
  readonly failureRate: number;
  readonly seed: number;
}

export class FailingBolt extends BaseBasicBolt {
  readonly fields: readonly string[];
  readonly failureRate: number;
  readonly seed: number;
  private random: (() => number) | undefined;

  constructor(options: FailingBoltOptions) {
    super();
    if (!(options.failureRate >= 0 && options.failureRate <= 1)) throw new InvalidBoltOptionError('FailingBolt', 'failureRate', options.failureRate, 'a fraction in 0..1');
    if (!Number.isSafeInteger(options.seed)) throw new InvalidBoltOptionError('FailingBolt', 'seed', options.seed, 'an integer');
    this.fields = [...options.fields];
    this.failureRate = options.failureRate;
    this.seed = options.seed;
  }

  declareOutputFields(declarer: OutputFieldsDeclarer): void {
    declarer.declare(this.fields);
  }

  override prepare(_config: ResolvedConfig, context: TopologyContext): void {
    this.random = mulberry32(this.seed + context.taskIndex);
  }

  execute(input: Tuple, collector: BasicOutputCollector): void {
    if (isTickTuple(input)) return;
    if (this.random === undefined) throw new BoltNotPreparedError('FailingBolt');
    if (this.random() < this.failureRate) throw new FailedException('failure injected by FailingBolt');
    collector.emit(input.values);
  }
}
