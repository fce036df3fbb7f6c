/**
 * Step 3, the queue at the drink's station (fields-grouped by drink): reserves a portion in the
 * StockRoom, idempotently per order id. Out of stock is answered with the compensating action —
 * the payment is refunded through the gateway (once, whatever the replays) and the order
 * cancelled (events 'out-of-stock', 'refunded', 'cancelled').
 */
import { isTickTuple, type BasicOutputCollector, type Tuple } from '../../core/topology/api/index.js';
import type { PaymentGateway } from './payment-gateway.js';
import { SagaStepBolt } from './saga-step.js';
import type { StockRoom } from './stock-room.js';

export class EnqueueBolt extends SagaStepBolt {
  constructor(
    readonly stockRoom: StockRoom,
    readonly gateway: PaymentGateway,
  ) {
    super();
  }

  async execute(input: Tuple, collector: BasicOutputCollector): Promise<void> {
    if (isTickTuple(input)) return;
    const order = this.orderOf(input);
    if ((await this.stockRoom.reserve(order.drink, order.orderId)) === 'reserved') {
      this.record(collector, order, 'reserved');
      this.passOn(collector, order);
      return;
    }
    this.record(collector, order, 'out-of-stock');
    const refund = await this.gateway.refund(order.orderId);
    this.record(collector, order, 'refunded', { amountCents: refund.refundedCents });
    this.record(collector, order, 'cancelled', { reason: `no ${order.drink} left` });
  }
}
