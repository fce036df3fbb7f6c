/** checkSaga, the shop's books: each promise broken on purpose is reported, and kept ones are not. */
import { describe, expect, it } from '@jest/globals';
import { checkSaga, type Violation } from './invariant.js';
import { orderEvent, type OrderEvent, type OrderStep } from './order-events.js';
import { costOf, type Order } from './order.js';
import { ACCEPTED_CARD, type PaymentRecord } from './payment-gateway.js';

const latte: Order = { orderId: 'o1', customer: 'ann', drink: 'latte', size: 'small', priceCents: 260, card: ACCEPTED_CARD };
const cost = costOf(latte);

function events(...steps: (OrderStep | [OrderStep, { amountCents?: number; attempt?: number }])[]): OrderEvent[] {
  return steps.map((step) => (typeof step === 'string' ? orderEvent(latte, step) : orderEvent(latte, step[0], step[1])));
}

function payment(chargedCents: number, refundedCents = 0): PaymentRecord {
  return { orderId: 'o1', drink: 'latte', card: ACCEPTED_CARD, status: chargedCents > 0 ? 'charged' : 'declined', requestedCents: 260, chargedCents, refundedCents, chargeRequests: 1, refundRequests: refundedCents > 0 ? 1 : 0 };
}

const delivered = events('received', ['charged', { amountCents: 260 }], 'reserved', ['made', { attempt: 1 }], 'delivered');

function rules(ledger: PaymentRecord[], trail: OrderEvent[]): Violation['rule'][] {
  return [...new Set(checkSaga({ orders: [latte], ledger, events: trail }).violations.map((violation) => violation.rule))].sort();
}

describe('checkSaga', () => {
  it('finds nothing wrong with a delivered order, its duplicates, a declined one, or a refunded one', () => {
    expect(rules([payment(260)], [...delivered, ...delivered.slice(0, 3)])).toEqual([]);
    expect(rules([payment(0)], events('received', 'declined', 'cancelled'))).toEqual([]);
    expect(rules([payment(260, 260)], events('received', ['charged', { amountCents: 260 }], 'out-of-stock', ['refunded', { amountCents: 260 }], 'cancelled'))).toEqual([]);
  });

  it('reports an order charged and neither refunded nor delivered', () => {
    expect(rules([payment(260)], events('received', ['charged', { amountCents: 260 }], 'reserved'))).toEqual(['charged-undelivered', 'ended-once']);
  });

  it('reports an order charged twice (more than its price, or two different charge events)', () => {
    expect(rules([payment(520)], [...delivered, orderEvent(latte, 'charged', { amountCents: 520 })])).toContain('charged-twice');
  });

  it('reports a delivered order that was not paid, or was refunded', () => {
    expect(rules([], events('received', 'reserved', ['made', { attempt: 1 }], 'delivered'))).toEqual(['delivered-unpaid']);
    expect(rules([payment(260, 260)], [...delivered, orderEvent(latte, 'refunded', { amountCents: 260 })])).toEqual(['delivered-unpaid']);
  });

  it('reports a cancelled order that kept money, and one both cancelled and delivered', () => {
    expect(rules([payment(260)], events('received', ['charged', { amountCents: 260 }], 'out-of-stock', 'cancelled'))).toEqual(['cancelled-charged', 'charged-undelivered']);
    expect(rules([payment(260)], [...delivered, orderEvent(latte, 'cancelled')])).toEqual(['cancelled-charged', 'ended-once']);
  });

  it('reports a trail that disagrees with the ledger', () => {
    expect(rules([payment(260)], events('received', 'reserved', ['made', { attempt: 1 }], 'delivered'))).toEqual(['trail-disagrees']);
  });

  it('counts write-offs, and reports a remake without its write-off or one at the wrong cost', () => {
    const remade = events('received', ['charged', { amountCents: 260 }], 'reserved', ['written-off', { attempt: 1, amountCents: cost }], ['written-off', { attempt: 2, amountCents: cost }], ['made', { attempt: 3 }], 'delivered');
    const books = checkSaga({ orders: [latte], ledger: [payment(260)], events: [...remade, ...remade] });
    expect(books.violations).toEqual([]);
    expect({ writeOffs: books.writeOffs, writeOffCents: books.writeOffCents, delivered: books.delivered }).toEqual({ writeOffs: 2, writeOffCents: 2 * cost, delivered: 1 });
    expect(rules([payment(260)], remade.filter((event) => event.attempt !== 1 || event.step !== 'written-off'))).toEqual(['write-offs']);
    expect(rules([payment(260)], remade.map((event) => (event.step === 'written-off' ? { ...event, amountCents: 1 } : event)))).toEqual(['write-offs']);
  });

  it('reports a payment for an order nobody placed, and counts rejected records once', () => {
    const stranger = { ...payment(100), orderId: 'nobody' };
    const rejected = orderEvent({ orderId: 'malformed@0:4', customer: '', drink: '' }, 'rejected', { reason: 'not JSON' });
    const books = checkSaga({ orders: [latte], ledger: [payment(260), stranger], events: [...delivered, rejected, rejected] });
    expect(books.violations.map((violation) => [violation.orderId, violation.rule])).toEqual([['nobody', 'unknown-order']]);
    expect(books.rejected).toBe(1);
  });
});
