/**
 * The non-idempotent sink of the cluster word count: every view delta it receives is added with
 * INCRBY to a plain counter `<prefix><key>` on a RESP server. Nothing remembers which log offsets
 * were added, so a replayed event is counted again: the totals are at least the true counts,
 * above them when trees were replayed — beside the realtime view (idempotent per key, partition
 * and offset), which stays exact. The tuple is acked once INCRBY answers and failed otherwise.
 *
 * Writes in flight per task are bounded by the topology's max spout pending (events in flight)
 * times the words of a line; ioredis pipelines them on one connection per task.
 */
import { Redis } from 'ioredis';
import { BaseRichBolt, isTickTuple, type OutputCollector, type ResolvedConfig, type TopologyContext, type Tuple } from '../../core/topology/api/index.js';
import type { OutputFieldsDeclarer } from '../../core/topology/builder/components.js';
import { BoltNotPreparedError, InvalidTupleValueError } from '../../bolts/errors.js';

const NAME = 'IncrbyTotalsBolt';

/** How often a lost connection is retried before commands fail (their tuples replay). */
const RECONNECT_DELAY_MS = 200;

export interface IncrbyTotalsOptions {
  readonly host: string;
  readonly port: number;
  /** Counter key = prefix + the delta's key. */
  readonly prefix: string;
}

export class IncrbyTotalsBolt extends BaseRichBolt {
  private task: { collector: OutputCollector; redis: Redis } | undefined;

  constructor(readonly options: IncrbyTotalsOptions) {
    super();
  }

  declareOutputFields(_declarer: OutputFieldsDeclarer): void {}

  prepare(_config: ResolvedConfig, _context: TopologyContext, collector: OutputCollector): void {
    const redis = new Redis({ host: this.options.host, port: this.options.port, maxRetriesPerRequest: 1, retryStrategy: () => RECONNECT_DELAY_MS });
    redis.on('error', () => undefined); // surfaced by the commands that fail
    this.task = { collector, redis };
  }

  execute(input: Tuple): void {
    const task = this.task;
    if (task === undefined) throw new BoltNotPreparedError(NAME);
    if (isTickTuple(input)) {
      task.collector.ack(input);
      return;
    }
    const key = input.getValueByField('key');
    const delta = input.getValueByField('delta');
    if (typeof key !== 'string' || (typeof delta !== 'bigint' && !Number.isSafeInteger(delta))) {
      task.collector.reportError(new InvalidTupleValueError(NAME, 'delta', delta, 'a string key with an integer delta'));
      task.collector.fail(input);
      return;
    }
    task.redis.incrby(`${this.options.prefix}${key}`, String(delta)).then(
      () => task.collector.ack(input),
      (error: unknown) => {
        task.collector.reportError(error);
        task.collector.fail(input);
      },
    );
  }

  override cleanup(): void {
    this.task?.redis.disconnect();
    this.task = undefined;
  }
}
