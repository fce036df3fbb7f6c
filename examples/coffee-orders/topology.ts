/**
 * The coffee shop as a topology — Gregor Hohpe's "Starbucks does not use two-phase commit": no
 * step waits for the others to agree; each does its part, and failures are answered by the
 * shop's own responses.
 *
 *   till     LogSpout over `orders` (message id = partition/offset; commits only fully acked offsets)
 *     │ shuffle
 *   receive  ReceiveBolt: valid order → 'received'; not an order → REJECTED_STREAM
 *     │ fields(orderId)
 *   pay      PayBolt: charge (idempotency key = order id); declined → cancelled
 *     │ fields(drink)
 *   enqueue  EnqueueBolt: reserve a portion; out of stock → refund, cancelled
 *     │ fields(orderId)
 *   make     MakeBolt: spilled → written off, remade; barista throws → tuple fails → replay
 *     │ shuffle
 *   deliver  DeliverBolt: 'delivered'
 *
 *   events   LogSinkBolt into `order-events`, fed by every step's EVENTS_STREAM (and receive's
 *            REJECTED_STREAM), fields-grouped by order id so one order's events stay in order.
 *
 * At-least-once end to end: a spout tuple's tree spans every step and every event write, so an
 * order's offset is committed only when its saga reached an end and its whole trail is in the
 * log. Anything less is replayed from the first step, which is why each step is idempotent.
 */
import type { KafkaEndpoint } from '../../core/log/client/kafka-connection.js';
import { TopologyBuilder } from '../../core/topology/builder/topology-builder.js';
import type { TopologyDefinition } from '../../core/topology/builder/topology-definition.js';
import { LogSinkBolt } from '../../bolts/log-sink-bolt.js';
import { LogSpout } from '../../spouts/log-spout.js';
import type { OffsetStore } from '../../spouts/offset-store.js';
import { DeliverBolt } from './deliver-bolt.js';
import { EnqueueBolt } from './enqueue-bolt.js';
import type { ShopFaults } from './faults.js';
import { MakeBolt } from './make-bolt.js';
import { EVENTS_STREAM } from './order-events.js';
import { PayBolt } from './pay-bolt.js';
import type { PaymentGateway } from './payment-gateway.js';
import { ReceiveBolt, REJECTED_STREAM } from './receive-bolt.js';
import type { StockRoom } from './stock-room.js';

export const ORDERS_TOPIC = 'orders';
export const ORDER_EVENTS_TOPIC = 'order-events';

/** Component ids, for stats and logs. */
export const COMPONENT = { till: 'till', receive: 'receive', pay: 'pay', enqueue: 'enqueue', make: 'make', deliver: 'deliver', events: 'events' } as const;

export interface CoffeeShopOptions {
  /** A broker leading the orders topic's partitions. */
  readonly bootstrap: KafkaEndpoint;
  /** Brokers the event sink produces to ("host:port"). */
  readonly brokers: readonly string[];
  readonly ordersTopic?: string;
  readonly eventsTopic?: string;
  readonly offsetStore: OffsetStore;
  readonly gateway: PaymentGateway;
  readonly stockRoom: StockRoom;
  readonly faults?: ShopFaults;
  /** Tasks of each step (default 2). */
  readonly parallelism?: number;
  /** How often the till commits offsets (default the spout's). */
  readonly commitIntervalMs?: number;
  readonly emitsPerCall?: number;
}

export function buildCoffeeShopTopology(options: CoffeeShopOptions): TopologyDefinition {
  const parallelism = options.parallelism ?? 2;
  const builder = new TopologyBuilder();
  builder.setSpout(
    COMPONENT.till,
    new LogSpout({
      bootstrap: options.bootstrap,
      topic: options.ordersTopic ?? ORDERS_TOPIC,
      offsetStore: options.offsetStore,
      startFrom: 'earliest',
      ...(options.commitIntervalMs === undefined ? {} : { commitIntervalMs: options.commitIntervalMs }),
      ...(options.emitsPerCall === undefined ? {} : { emitsPerCall: options.emitsPerCall }),
    }),
  );
  builder.setBolt(COMPONENT.receive, new ReceiveBolt(), parallelism).shuffleGrouping(COMPONENT.till);
  builder.setBolt(COMPONENT.pay, new PayBolt(options.gateway), parallelism).fieldsGrouping(COMPONENT.receive, ['orderId']);
  builder.setBolt(COMPONENT.enqueue, new EnqueueBolt(options.stockRoom, options.gateway), parallelism).fieldsGrouping(COMPONENT.pay, ['drink']);
  builder.setBolt(COMPONENT.make, new MakeBolt(options.faults), parallelism).fieldsGrouping(COMPONENT.enqueue, ['orderId']);
  builder.setBolt(COMPONENT.deliver, new DeliverBolt(), parallelism).shuffleGrouping(COMPONENT.make);
  const sink = new LogSinkBolt({ brokers: options.brokers, topic: options.eventsTopic ?? ORDER_EVENTS_TOPIC, keyField: 'orderId', valueField: 'event', clientId: 'coffee-order-events' });
  const events = builder.setBolt(COMPONENT.events, sink, parallelism).fieldsGrouping(COMPONENT.receive, ['orderId'], REJECTED_STREAM);
  for (const step of [COMPONENT.receive, COMPONENT.pay, COMPONENT.enqueue, COMPONENT.make, COMPONENT.deliver]) events.fieldsGrouping(step, ['orderId'], EVENTS_STREAM);
  return builder.createTopology();
}
