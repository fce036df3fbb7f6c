/**
 * The shop's books, checked: given the orders placed, the gateway's ledger and the trail of
 * order events (duplicates included), what became of each order, and every way the saga broke
 * its promises. Pure: the tests call it after a run, the runner prints its summary.
 *
 * Promises, for every order at the end:
 * - it ended once: delivered or cancelled, not both, not neither;
 * - never charged and unrefunded yet undelivered;
 * - never charged twice: at most one charge, of the order's price, and refunds never exceed it;
 * - delivered ⇒ charged its price and not refunded; cancelled ⇒ net charge 0;
 * - the trail agrees with the ledger (a charge event iff a charge, the refunded amount);
 * - write-offs counted: a delivered drink made at attempt n has written-off events for attempts
 *   1..n-1, each at the drink's cost, and a cancelled order has none.
 */
import { distinctEvents, type OrderEvent } from './order-events.js';
import { costOf, type Order } from './order.js';
import type { PaymentRecord } from './payment-gateway.js';

export type OrderEnd = 'delivered' | 'cancelled' | 'unfinished';

export interface OrderOutcome {
  readonly orderId: string;
  readonly end: OrderEnd;
  readonly chargedCents: number;
  readonly refundedCents: number;
  readonly writeOffs: number;
  readonly writeOffCents: number;
}

export interface Violation {
  readonly orderId: string;
  readonly rule: 'ended-once' | 'charged-undelivered' | 'charged-twice' | 'delivered-unpaid' | 'cancelled-charged' | 'trail-disagrees' | 'write-offs' | 'unknown-order';
  readonly detail: string;
}

export interface SagaBooks {
  readonly outcomes: ReadonlyMap<string, OrderOutcome>;
  readonly violations: readonly Violation[];
  readonly delivered: number;
  readonly cancelled: number;
  /** Records of the orders topic that were not orders. */
  readonly rejected: number;
  readonly writeOffs: number;
  readonly writeOffCents: number;
}

export interface SagaRecords {
  readonly orders: readonly Order[];
  readonly ledger: readonly PaymentRecord[];
  /** The trail as read from the log, replays' duplicates included. */
  readonly events: readonly OrderEvent[];
}

export function checkSaga(records: SagaRecords): SagaBooks {
  const trails = new Map<string, OrderEvent[]>();
  for (const event of records.events) {
    const trail = trails.get(event.orderId);
    if (trail === undefined) trails.set(event.orderId, [event]);
    else trail.push(event);
  }
  const payments = new Map(records.ledger.map((record) => [record.orderId, record]));
  const outcomes = new Map<string, OrderOutcome>();
  const violations: Violation[] = [];
  for (const order of records.orders) {
    const { outcome, problems } = checkOrder(order, payments.get(order.orderId), trails.get(order.orderId) ?? []);
    outcomes.set(order.orderId, outcome);
    violations.push(...problems.map(([rule, detail]) => ({ orderId: order.orderId, rule, detail })));
  }
  for (const record of records.ledger) if (!outcomes.has(record.orderId)) violations.push({ orderId: record.orderId, rule: 'unknown-order', detail: 'the ledger holds a payment for an order nobody placed' });
  const all = [...outcomes.values()];
  return {
    outcomes,
    violations,
    delivered: all.filter((outcome) => outcome.end === 'delivered').length,
    cancelled: all.filter((outcome) => outcome.end === 'cancelled').length,
    rejected: new Set(records.events.filter((event) => event.step === 'rejected').map((event) => event.eventId)).size,
    writeOffs: all.reduce((sum, outcome) => sum + outcome.writeOffs, 0),
    writeOffCents: all.reduce((sum, outcome) => sum + outcome.writeOffCents, 0),
  };
}

type Problem = [Violation['rule'], string];

function checkOrder(order: Order, payment: PaymentRecord | undefined, trail: readonly OrderEvent[]): { outcome: OrderOutcome; problems: Problem[] } {
  const problems: Problem[] = [];
  const events = distinctEvents(trail);
  const has = (step: OrderEvent['step']) => events.some((event) => event.step === step);
  const delivered = has('delivered');
  const cancelled = has('cancelled');
  if (delivered === cancelled) problems.push(['ended-once', delivered ? 'both delivered and cancelled' : 'neither delivered nor cancelled']);
  const chargedCents = payment?.chargedCents ?? 0;
  const refundedCents = payment?.refundedCents ?? 0;
  const net = chargedCents - refundedCents;
  if (net !== 0 && !delivered) problems.push(['charged-undelivered', `${net} cents charged, not refunded, and nothing delivered`]);
  const chargeAmounts = new Set(trail.filter((event) => event.step === 'charged').map((event) => event.amountCents));
  if (chargedCents > order.priceCents || refundedCents > chargedCents || chargeAmounts.size > 1) problems.push(['charged-twice', `charged ${chargedCents}, refunded ${refundedCents} for a price of ${order.priceCents}; charge events of ${[...chargeAmounts].join(', ')}`]);
  if (delivered && (chargedCents !== order.priceCents || refundedCents !== 0)) problems.push(['delivered-unpaid', `delivered with ${chargedCents} charged and ${refundedCents} refunded for a price of ${order.priceCents}`]);
  if (cancelled && net !== 0) problems.push(['cancelled-charged', `cancelled with a net charge of ${net}`]);
  problems.push(...trailAgainstLedger(payment, events));
  const writeOffs = events.filter((event) => event.step === 'written-off');
  problems.push(...checkWriteOffs(order, delivered, writeOffs, events.find((event) => event.step === 'made')));
  const end: OrderEnd = delivered ? 'delivered' : cancelled ? 'cancelled' : 'unfinished';
  const outcome = { orderId: order.orderId, end, chargedCents, refundedCents, writeOffs: writeOffs.length, writeOffCents: writeOffs.reduce((sum, event) => sum + event.amountCents, 0) };
  return { outcome, problems };
}

function trailAgainstLedger(payment: PaymentRecord | undefined, events: readonly OrderEvent[]): Problem[] {
  const charged = events.find((event) => event.step === 'charged');
  const refunded = events.find((event) => event.step === 'refunded');
  const problems: Problem[] = [];
  if ((charged !== undefined) !== (payment?.status === 'charged')) problems.push(['trail-disagrees', `trail ${charged === undefined ? 'has no' : 'has a'} charge, the ledger says ${payment?.status ?? 'nothing'}`]);
  if (charged !== undefined && charged.amountCents !== payment?.chargedCents) problems.push(['trail-disagrees', `charge event of ${charged.amountCents}, ledger charge of ${payment?.chargedCents ?? 0}`]);
  if ((refunded?.amountCents ?? 0) !== (payment?.refundedCents ?? 0)) problems.push(['trail-disagrees', `refund event of ${refunded?.amountCents ?? 0}, ledger refund of ${payment?.refundedCents ?? 0}`]);
  return problems;
}

function checkWriteOffs(order: Order, delivered: boolean, writeOffs: readonly OrderEvent[], made: OrderEvent | undefined): Problem[] {
  if (!delivered) return writeOffs.length === 0 ? [] : [['write-offs', `${writeOffs.length} write-offs on an order never delivered`]];
  const attempts = writeOffs.map((event) => event.attempt ?? 0).sort((a, b) => a - b);
  const madeAt = made?.attempt ?? 0;
  const expected = Array.from({ length: madeAt - 1 }, (_, index) => index + 1);
  const problems: Problem[] = [];
  if (made === undefined || JSON.stringify(attempts) !== JSON.stringify(expected)) problems.push(['write-offs', `made at attempt ${madeAt} with write-offs of attempts [${attempts.join(', ')}]`]);
  const cost = costOf(order);
  if (writeOffs.some((event) => event.amountCents !== cost)) problems.push(['write-offs', `a write-off not at the drink's cost of ${cost}`]);
  return problems;
}
