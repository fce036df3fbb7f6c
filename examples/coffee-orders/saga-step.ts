/**
 * What every step of the saga shares: it receives an order, does its one thing idempotently per
 * order id, appends what happened to the order's trail (EVENTS_STREAM, to the event sink) and
 * passes the order on (the default stream, to the next step) — or does not, when the saga ends
 * here. A BasicBolt: every emit is anchored to the input, so the spout's tuple tree completes
 * only when the next steps are done and every event is in the log; a throw fails the tree and
 * the spout replays the order from the first step.
 */
import { BaseBasicBolt, type BasicOutputCollector, type Tuple } from '../../core/topology/api/index.js';
import type { OutputFieldsDeclarer } from '../../core/topology/builder/components.js';
import { InvalidTupleValueError } from '../../bolts/errors.js';
import { EVENT_FIELDS, EVENTS_STREAM, orderEvent, type OrderEvent, type OrderStep } from './order-events.js';
import type { Order } from './order.js';

/** Fields of the order stream between steps: the id and drink for groupings, and the order. */
export const ORDER_FIELDS = ['orderId', 'drink', 'order'] as const;

export abstract class SagaStepBolt extends BaseBasicBolt {
  /** Whether the step passes orders on (the last one does not). */
  protected readonly passesOrdersOn: boolean = true;

  declareOutputFields(declarer: OutputFieldsDeclarer): void {
    if (this.passesOrdersOn) declarer.declare(ORDER_FIELDS);
    declarer.declareStream(EVENTS_STREAM, EVENT_FIELDS);
  }

  protected orderOf(input: Tuple): Order {
    const order = input.getValueByField('order') as Order | undefined;
    if (typeof order !== 'object' || order === null || typeof order.orderId !== 'string') throw new InvalidTupleValueError(this.constructor.name, 'order', order, 'an order from the receive step');
    return order;
  }

  protected passOn(collector: BasicOutputCollector, order: Order): void {
    collector.emit([order.orderId, order.drink, order]);
  }

  protected record(collector: BasicOutputCollector, order: Order, step: OrderStep, extra?: Parameters<typeof orderEvent>[2]): OrderEvent {
    const event = orderEvent(order, step, extra);
    collector.emitStream(EVENTS_STREAM, [order.orderId, event]);
    return event;
  }
}
