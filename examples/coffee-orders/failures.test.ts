/**
 * One test per failure the shop answers, each on the real stack — coord and broker in this
 * process, the saga as a topology in a LocalCluster, the gateway and stock room in a
 * MemoryKeyspace — checking the order's trail in `order-events`, the gateway's ledger and the
 * invariant (checkSaga) for every order.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmbeddedLog, type EmbeddedLog } from '../wordcount/test-support.js';
import { spillsOf } from './faults.js';
import { costOf, type Order } from './order.js';
import { ACCEPTED_CARD, DECLINED_CARDS } from './payment-gateway.js';
import { priceOf } from './sample-orders.js';
import { runShopToEnd, trailOf } from './test-support.js';

let log: EmbeddedLog;

beforeAll(async () => {
  log = await startEmbeddedLog('coffee-failures');
});
afterAll(async () => {
  await log.close();
});

function order(orderId: string, drink: Order['drink'], card = ACCEPTED_CARD): Order {
  return { orderId, customer: `customer-of-${orderId}`, drink, size: 'medium', priceCents: priceOf({ drink, size: 'medium' }), card };
}

function recordsOf(orders: readonly Order[]) {
  return orders.map((each) => ({ key: each.orderId, value: JSON.stringify(each) }));
}

const HAPPY_TRAIL = ['received', 'charged', 'reserved', 'made', 'delivered'];

describe('the coffee shop answers failures', () => {
  it('cancels an order whose card is declined: nothing charged, nothing made', async () => {
    const [declinedCard] = DECLINED_CARDS.keys();
    const orders = [order('declined-1', 'latte', declinedCard), order('paid-1', 'latte')];
    const run = await runShopToEnd(log, { name: 'declined', orders, records: recordsOf(orders) });
    expect(trailOf(run.events, 'declined-1')).toEqual(['received', 'declined', 'cancelled']);
    expect(trailOf(run.events, 'paid-1')).toEqual(HAPPY_TRAIL);
    expect(await run.gateway.payment('declined-1')).toMatchObject({ status: 'declined', chargedCents: 0, refundedCents: 0, declineReason: 'card declined' });
    expect((await run.stockRoom.stock('latte')).holders).toEqual(['paid-1']);
    expect(run.books.violations).toEqual([]);
    expect(run.books.outcomes.get('declined-1')?.end).toBe('cancelled');
  });

  it('refunds a paid order when its drink is out of stock at the queue, and cancels it', async () => {
    const orders = [order('mocha-1', 'mocha'), order('mocha-2', 'mocha'), order('tea-1', 'tea')];
    const run = await runShopToEnd(log, { name: 'out-of-stock', orders, records: recordsOf(orders), portions: { mocha: 1 } });
    const [holder] = (await run.stockRoom.stock('mocha')).holders;
    const refused = holder === 'mocha-1' ? 'mocha-2' : 'mocha-1';
    expect(trailOf(run.events, holder!)).toEqual(HAPPY_TRAIL);
    expect(trailOf(run.events, refused)).toEqual(['received', 'charged', 'out-of-stock', 'refunded', 'cancelled']);
    const price = priceOf({ drink: 'mocha', size: 'medium' });
    expect(await run.gateway.payment(refused)).toMatchObject({ status: 'charged', chargedCents: price, refundedCents: price, refundRequests: 1 });
    expect(run.events.find((event) => event.orderId === refused && event.step === 'refunded')?.amountCents).toBe(price);
    expect(trailOf(run.events, 'tea-1')).toEqual(HAPPY_TRAIL);
    expect(run.books.violations).toEqual([]);
  });

  it('retries an order whose barista throws: the spout replays it and no step is done twice', async () => {
    const orders = [order('throw-1', 'espresso'), order('throw-2', 'cappuccino'), order('throw-3', 'tea')];
    const run = await runShopToEnd(log, { name: 'barista-throws', orders, records: recordsOf(orders), faults: { baristaThrows: { rate: 1, seed: 7 } } });
    expect(run.spoutFailures).toBeGreaterThanOrEqual(orders.length);
    for (const each of orders) {
      expect(trailOf(run.events, each.orderId)).toEqual(HAPPY_TRAIL);
      // The replay appended the earlier steps' events again; the gateway absorbed the retried charge.
      expect(run.events.filter((event) => event.orderId === each.orderId && event.step === 'charged').length).toBeGreaterThanOrEqual(2);
      const payment = await run.gateway.payment(each.orderId);
      expect(payment).toMatchObject({ chargedCents: each.priceCents, refundedCents: 0 });
      expect(payment!.chargeRequests).toBeGreaterThanOrEqual(2);
    }
    expect((await run.stockRoom.stock('espresso')).holders).toEqual(['throw-1']);
    expect(run.books.violations).toEqual([]);
  });

  it('writes off a spilled drink at its cost and makes it again', async () => {
    const faults = { spills: { rate: 0.5, seed: 11 } };
    const orders = Array.from({ length: 8 }, (_, index) => order(`spill-${index}`, index % 2 === 0 ? 'latte' : 'mocha'));
    const expectedSpills = new Map(orders.map((each) => [each.orderId, spillsOf(faults, each.orderId)]));
    expect([...expectedSpills.values()].filter((spills) => spills >= 2).length).toBeGreaterThan(0); // the seed spills some drink twice
    const run = await runShopToEnd(log, { name: 'spills', orders, records: recordsOf(orders), faults });
    let writtenOffCents = 0;
    for (const each of orders) {
      const spills = expectedSpills.get(each.orderId)!;
      const writeOffs = Array.from({ length: spills }, (_, index) => `written-off/${index + 1}`);
      expect(trailOf(run.events, each.orderId)).toEqual(['received', 'charged', 'reserved', ...writeOffs, 'made', 'delivered']);
      expect(run.events.find((event) => event.orderId === each.orderId && event.step === 'made')?.attempt).toBe(spills + 1);
      writtenOffCents += spills * costOf(each);
    }
    expect(run.books.writeOffs).toBe([...expectedSpills.values()].reduce((sum, spills) => sum + spills, 0));
    expect(run.books.writeOffCents).toBe(writtenOffCents);
    expect(run.books.delivered).toBe(orders.length);
    expect(run.books.violations).toEqual([]);
  });
});
