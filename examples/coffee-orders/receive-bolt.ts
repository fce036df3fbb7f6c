/**
 * Step 1, the till: turns a record of the `orders` topic into an order. A record that is not a
 * valid order is answered on REJECTED_STREAM (an event with the reason, to the trail) and goes
 * no further; a valid one is recorded as received and passed on. Pure, so replays are harmless.
 */
import { isTickTuple, type BasicOutputCollector, type Tuple } from '../../core/topology/api/index.js';
import type { OutputFieldsDeclarer } from '../../core/topology/builder/components.js';
import { EVENT_FIELDS, orderEvent } from './order-events.js';
import { checkOrder } from './order.js';
import { SagaStepBolt } from './saga-step.js';

export const REJECTED_STREAM = 'rejected';

export class ReceiveBolt extends SagaStepBolt {
  override declareOutputFields(declarer: OutputFieldsDeclarer): void {
    super.declareOutputFields(declarer);
    declarer.declareStream(REJECTED_STREAM, EVENT_FIELDS);
  }

  execute(input: Tuple, collector: BasicOutputCollector): void {
    if (isTickTuple(input)) return;
    const checked = checkOrder(input.getValueByField('value') as string | null);
    if ('malformed' in checked) {
      // No trustworthy id: the record's place in the log names it, the same on every replay.
      const orderId = `malformed@${String(input.getValueByField('partition'))}:${String(input.getValueByField('offset'))}`;
      const event = orderEvent({ orderId, customer: '', drink: '' }, 'rejected', { reason: checked.malformed });
      collector.emitStream(REJECTED_STREAM, [orderId, event]);
      return;
    }
    this.record(collector, checked.order, 'received');
    this.passOn(collector, checked.order);
  }
}
