/**
 * The saga's trail: every step appends events to the `order-events` topic (keyed by order id, so
 * one order's events share a partition and keep their order). Replays append the same events
 * again, so each event carries an id that is the same every time its step runs for its order —
 * `<orderId>/<step>`, plus the attempt for write-offs — and every amount on it is a function of
 * the order alone. A reader (the views, the invariant checker) deduplicates by that id.
 */

/** The steps, in saga order; 'rejected' is the till's answer to a record that is not an order. */
export const ORDER_STEPS = ['received', 'rejected', 'charged', 'declined', 'reserved', 'out-of-stock', 'refunded', 'cancelled', 'written-off', 'made', 'delivered'] as const;
export type OrderStep = (typeof ORDER_STEPS)[number];

export interface OrderEvent {
  readonly eventId: string;
  readonly orderId: string;
  readonly step: OrderStep;
  readonly customer: string;
  readonly drink: string;
  /** charged / refunded: the money moved; written-off: the drink's cost; otherwise 0. */
  readonly amountCents: number;
  /** Which making of the drink (written-off, made); 1 for the first. */
  readonly attempt?: number;
  /** Why (rejected, declined, cancelled). */
  readonly reason?: string;
}

/** Fields of the tuples the steps emit on their EVENTS_STREAM, and so of the event sink's input. */
export const EVENTS_STREAM = 'events';
export const EVENT_FIELDS = ['orderId', 'event'] as const;

export function eventIdOf(orderId: string, step: OrderStep, attempt?: number): string {
  return attempt === undefined ? `${orderId}/${step}` : `${orderId}/${step}/${attempt}`;
}

export function orderEvent(order: { orderId: string; customer: string; drink: string }, step: OrderStep, extra: { amountCents?: number; attempt?: number; reason?: string } = {}): OrderEvent {
  return {
    eventId: eventIdOf(order.orderId, step, step === 'written-off' ? extra.attempt : undefined),
    orderId: order.orderId,
    step,
    customer: order.customer,
    drink: order.drink,
    amountCents: extra.amountCents ?? 0,
    ...(extra.attempt === undefined ? {} : { attempt: extra.attempt }),
    ...(extra.reason === undefined ? {} : { reason: extra.reason }),
  };
}

/** An event from a record value, or undefined for anything else (the views skip foreign records). */
export function parseOrderEvent(value: string | null): OrderEvent | undefined {
  if (value === null) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const event = parsed as Partial<OrderEvent>;
  if (typeof event.eventId !== 'string' || typeof event.orderId !== 'string' || !(ORDER_STEPS as readonly unknown[]).includes(event.step)) return undefined;
  if (typeof event.amountCents !== 'number' || !Number.isSafeInteger(event.amountCents)) return undefined;
  return event as OrderEvent;
}

/** Events with duplicates (same id) dropped, first occurrence kept, in log order otherwise. */
export function distinctEvents(events: Iterable<OrderEvent>): OrderEvent[] {
  const seen = new Set<string>();
  const out: OrderEvent[] = [];
  for (const event of events) {
    if (seen.has(event.eventId)) continue;
    seen.add(event.eventId);
    out.push(event);
  }
  return out;
}
