/**
 * An order as the till writes it into the `orders` topic (one JSON record, keyed by order id),
 * the menu it is checked against, and the check itself. Pure: the receive bolt calls it, tests
 * and the order generator use the same menu.
 */
import { MAX_ORDER_TEXT_LENGTH, MAX_PRICE_CENTS } from './limits.js';

export const SIZES = ['small', 'medium', 'large'] as const;
export type Size = (typeof SIZES)[number];

/** What making one drink costs the shop, by size, in cents: what a spilled drink writes off. */
export const MENU = {
  espresso: { small: 30, medium: 45, large: 60 },
  latte: { small: 55, medium: 70, large: 85 },
  cappuccino: { small: 50, medium: 65, large: 80 },
  mocha: { small: 70, medium: 85, large: 100 },
  tea: { small: 10, medium: 15, large: 20 },
} as const satisfies Record<string, Record<Size, number>>;
export type Drink = keyof typeof MENU;
export const DRINKS = Object.keys(MENU) as Drink[];

export interface Order {
  readonly orderId: string;
  readonly customer: string;
  readonly drink: Drink;
  readonly size: Size;
  /** What the customer pays, in cents. */
  readonly priceCents: number;
  /** The card number the till took. */
  readonly card: string;
}

export type OrderCheck = { readonly order: Order } | { readonly malformed: string };

const ORDER_ID = /^[A-Za-z0-9_.-]+$/;
const CARD = /^[0-9]{12,19}$/;

function text(record: Record<string, unknown>, field: string, pattern?: RegExp): string | undefined {
  const value = record[field];
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ORDER_TEXT_LENGTH) return undefined;
  return pattern === undefined || pattern.test(value) ? value : undefined;
}

/** The order in a record's value, or why the till's record cannot be an order. */
export function checkOrder(value: string | null): OrderCheck {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value ?? '');
  } catch {
    return { malformed: 'not JSON' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { malformed: 'not a JSON object' };
  const record = parsed as Record<string, unknown>;
  const orderId = text(record, 'orderId', ORDER_ID);
  if (orderId === undefined) return { malformed: `orderId must be 1 to ${MAX_ORDER_TEXT_LENGTH} letters, digits, _ . or -` };
  const customer = text(record, 'customer');
  if (customer === undefined) return { malformed: `customer must be 1 to ${MAX_ORDER_TEXT_LENGTH} characters` };
  const drink = record['drink'];
  if (typeof drink !== 'string' || !Object.hasOwn(MENU, drink)) return { malformed: `drink must be one of ${DRINKS.join(', ')}` };
  const size = record['size'];
  if (typeof size !== 'string' || !(SIZES as readonly string[]).includes(size)) return { malformed: `size must be one of ${SIZES.join(', ')}` };
  const priceCents = record['priceCents'];
  if (typeof priceCents !== 'number' || !Number.isSafeInteger(priceCents) || priceCents < 1 || priceCents > MAX_PRICE_CENTS) return { malformed: `priceCents must be an integer from 1 to ${MAX_PRICE_CENTS}` };
  const card = text(record, 'card', CARD);
  if (card === undefined) return { malformed: 'card must be 12 to 19 digits' };
  return { order: { orderId, customer, drink: drink as Drink, size: size as Size, priceCents, card } };
}

/** What making this order's drink costs the shop, in cents. */
export function costOf(order: Pick<Order, 'drink' | 'size'>): number {
  return MENU[order.drink][order.size];
}
