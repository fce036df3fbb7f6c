/**
 * Step 4, the barista. A spilled drink is written off — an event with its cost — and made again,
 * until one is not spilled (spills are seeded per order and attempt, so a replay spills the same
 * drinks and writes off the same events). An injected worker failure throws mid-drink, after the
 * write-offs so far were emitted: the input fails and the spout replays the order, whose earlier
 * steps then answer from their records (charged once, portion held once).
 */
import { isTickTuple, type BasicOutputCollector, type ResolvedConfig, type TopologyContext, type Tuple } from '../../core/topology/api/index.js';
import { BaristaDroppedToolsError } from './errors.js';
import { baristaThrowsOn, checkFaults, spilled, type ShopFaults } from './faults.js';
import { costOf } from './order.js';
import { SagaStepBolt } from './saga-step.js';

export class MakeBolt extends SagaStepBolt {
  readonly faults: ShopFaults;
  /** Orders this task already failed on: the next attempt at each succeeds (per task, in memory). */
  private thrown = new Set<string>();

  constructor(faults: ShopFaults = {}) {
    super();
    this.faults = checkFaults(faults);
  }

  override prepare(_config: ResolvedConfig, _context: TopologyContext): void {
    this.thrown = new Set();
  }

  execute(input: Tuple, collector: BasicOutputCollector): void {
    if (isTickTuple(input)) return;
    const order = this.orderOf(input);
    let attempt = 1;
    for (; spilled(this.faults, order.orderId, attempt); attempt += 1) this.record(collector, order, 'written-off', { attempt, amountCents: costOf(order) });
    if (baristaThrowsOn(this.faults, order.orderId) && !this.thrown.has(order.orderId)) {
      this.thrown.add(order.orderId);
      throw new BaristaDroppedToolsError(order.orderId);
    }
    this.thrown.delete(order.orderId);
    this.record(collector, order, 'made', { attempt });
    this.passOn(collector, order);
  }
}
