/**
 * Step 2, the cashier: charges the order's card through the PaymentGateway with the order id as
 * idempotency key, so a replayed order is not charged again. A declined card ends the saga:
 * nothing was charged and nothing will be made (events 'declined', 'cancelled').
 */
import { isTickTuple, type BasicOutputCollector, type Tuple } from '../../core/topology/api/index.js';
import type { PaymentGateway } from './payment-gateway.js';
import { SagaStepBolt } from './saga-step.js';

export class PayBolt extends SagaStepBolt {
  /** A class instance: shared by the task copies. */
  constructor(readonly gateway: PaymentGateway) {
    super();
  }

  async execute(input: Tuple, collector: BasicOutputCollector): Promise<void> {
    if (isTickTuple(input)) return;
    const order = this.orderOf(input);
    const result = await this.gateway.charge({ orderId: order.orderId, drink: order.drink, amountCents: order.priceCents, card: order.card });
    if (result.status === 'declined') {
      this.record(collector, order, 'declined', { reason: result.reason });
      this.record(collector, order, 'cancelled', { reason: result.reason });
      return;
    }
    this.record(collector, order, 'charged', { amountCents: result.amountCents });
    this.passOn(collector, order);
  }
}
