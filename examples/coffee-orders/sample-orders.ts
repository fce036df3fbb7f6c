/**
 * A morning's orders, seeded: customers, drinks and sizes drawn from the menu, a price per size,
 * and a fraction of declined test cards and of malformed till records. Used by the tests and by
 * run.ts; the same seed gives the same orders.
 */
import { mulberry32 } from '../../core/random/mulberry32.js';
import { ACCEPTED_CARD, DECLINED_CARDS } from './payment-gateway.js';
import { DRINKS, SIZES, costOf, type Order } from './order.js';

export interface SampleOptions {
  readonly count: number;
  readonly seed: number;
  /** Fraction of orders paid with a declined test card. */
  readonly declinedRate?: number;
  /** Fraction of records that are not valid orders. */
  readonly malformedRate?: number;
  readonly customers?: number;
}

export interface SampleMorning {
  /** The valid orders, in till order. */
  readonly orders: Order[];
  /** Every record value for the orders topic (valid and malformed), keyed by order id or null. */
  readonly records: { key: string | null; value: string }[];
}

const MALFORMED = ['{"orderId": "half-an-order"', '"a string, not an order"', '{"orderId":"x1","customer":"ann","drink":"bubble tea","size":"small","priceCents":300,"card":"4242424242424242"}'];

/** The till's price: twice the cost, plus 1.50. */
export function priceOf(order: Pick<Order, 'drink' | 'size'>): number {
  return costOf(order) * 2 + 150;
}

export function sampleMorning(options: SampleOptions): SampleMorning {
  const random = mulberry32(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const declinedCards = [...DECLINED_CARDS.keys()];
  const orders: Order[] = [];
  const records: SampleMorning['records'] = [];
  for (let index = 0; index < options.count; index += 1) {
    if (random() < (options.malformedRate ?? 0)) {
      records.push({ key: null, value: pick(MALFORMED) });
      continue;
    }
    const drink = pick(DRINKS);
    const size = pick(SIZES);
    const card = random() < (options.declinedRate ?? 0) ? pick(declinedCards) : ACCEPTED_CARD;
    const order: Order = { orderId: `o-${options.seed}-${index}`, customer: `customer-${Math.floor(random() * (options.customers ?? 20))}`, drink, size, priceCents: priceOf({ drink, size }), card };
    orders.push(order);
    records.push({ key: order.orderId, value: JSON.stringify(order) });
  }
  return { orders, records };
}
