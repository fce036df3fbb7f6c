/**
 * The shop's views over `order-events`, each defined once with lambda.view and run both as the
 * speed topology and as the batch recompute:
 *
 * - `coffee-revenue`: per drink, the settled money movements — one member
 *   `charged:<orderId>:<cents>` per charge and `refunded:<orderId>:<cents>` per refund;
 *   revenue = Σ charged − Σ refunded (revenueOf).
 * - `coffee-customer-orders`: per customer, the ids of the orders received; the count is its size.
 *
 * Why sets and not `sum`: the trail holds duplicates. A replayed order appends its events again
 * at new offsets, and a realtime view deduplicates only by (partition, offset), while the batch
 * recompute reads every copy. A sum of amounts would count a replayed charge twice in both
 * layers. A set member is a function of the event's identity (the order id and step fix the
 * amount), and union is idempotent, so every copy of an event adds the same member once: both
 * layers, and their merge, equal the ledger however often the saga was replayed.
 */
import { lambda, type LambdaView } from '../../lambda/index.js';
import { parseOrderEvent } from './order-events.js';
import { ORDER_EVENTS_TOPIC } from './topology.js';

export const REVENUE_VIEW = 'coffee-revenue';
export const CUSTOMER_ORDERS_VIEW = 'coffee-customer-orders';

export interface ShopViewOptions {
  readonly source?: string;
  /** Offsets per realtime bucket (the batch cut-off granularity); default serving's. */
  readonly bucketOffsets?: number;
}

function spec(options: ShopViewOptions) {
  return { source: options.source ?? ORDER_EVENTS_TOPIC, monoid: 'set', ...(options.bucketOffsets === undefined ? {} : { bucketOffsets: options.bucketOffsets }) };
}

export function revenueView(options: ShopViewOptions = {}): LambdaView<string> {
  return lambda.view(REVENUE_VIEW, {
    ...spec(options),
    *map(record) {
      const event = parseOrderEvent(record.value);
      if (event === undefined || event.amountCents === 0) return;
      if (event.step === 'charged' || event.step === 'refunded') yield [event.drink, `${event.step}:${event.orderId}:${event.amountCents}`] as const;
    },
  });
}

export function customerOrdersView(options: ShopViewOptions = {}): LambdaView<string> {
  return lambda.view(CUSTOMER_ORDERS_VIEW, {
    ...spec(options),
    *map(record) {
      const event = parseOrderEvent(record.value);
      if (event?.step === 'received') yield [event.customer, event.orderId] as const;
    },
  });
}

const MOVEMENT = /^(charged|refunded):.+:(-?\d+)$/;

/** Net revenue in cents from a revenue view's members. */
export function revenueOf(members: readonly string[]): number {
  let cents = 0;
  for (const member of members) {
    const movement = MOVEMENT.exec(member);
    if (movement === null) continue;
    cents += (movement[1] === 'charged' ? 1 : -1) * Number(movement[2]);
  }
  return cents;
}
