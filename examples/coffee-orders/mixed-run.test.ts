/**
 * A morning of ~200 orders with every failure seeded — declined cards, drinks running out,
 * barista failures, spills, records that are not orders — and the shop's topology killed mid-run
 * without committing its offsets, then started again (it replays every order after its last
 * commit). Meanwhile the views' speed topology reads the trail; at the end a batch recompute.
 * Every order must keep the saga's promises, and the revenue view (batch ⊕ realtime) must equal
 * the gateway's ledger to the cent, although the trail holds the replays' duplicate events.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { BatchContext } from '../../batch/context/batch-context.js';
import { LocalCluster } from '../../core/topology/runtime/local-cluster.js';
import { TopologyBuilder } from '../../core/topology/builder/topology-builder.js';
import { MemoryKeyspace } from '../../serving/keyspace/memory-keyspace.js';
import { FileOffsetStore } from '../../spouts/offset-store.js';
import { until } from '../../test/support/until.js';
import { createTopics, startEmbeddedLog, type EmbeddedLog } from '../wordcount/test-support.js';
import { checkSaga } from './invariant.js';
import { distinctEvents } from './order-events.js';
import { DRINKS } from './order.js';
import { PaymentGateway, revenueByDrink } from './payment-gateway.js';
import { sampleMorning } from './sample-orders.js';
import { StockRoom } from './stock-room.js';
import { committedThrough, endOffsets } from './offsets.js';
import { CrashableOffsetStore, produceOrders, readOrderEvents } from './test-support.js';
import { buildCoffeeShopTopology } from './topology.js';
import { customerOrdersView, revenueOf, revenueView } from './views.js';

const PARTITIONS = 2;
const ORDERS_TOPIC = 'orders-mixed';
const EVENTS_TOPIC = 'order-events-mixed';
const FAULTS = { spills: { rate: 0.1, seed: 3 }, baristaThrows: { rate: 0.08, seed: 5 } };
/** Fewer portions than the ~40 orders each of these drinks gets: some run out. */
const PORTIONS = { mocha: 25, cappuccino: 30 };
/** The first run, slowed so that the kill lands mid-run. */
const THROTTLED = { 'topology.max.spout.pending': 6, 'topology.message.timeout.secs': 10 };

let log: EmbeddedLog;

beforeAll(async () => {
  log = await startEmbeddedLog('coffee-mixed');
  await createTopics(log, [
    { topic: ORDERS_TOPIC, numPartitions: PARTITIONS },
    { topic: EVENTS_TOPIC, numPartitions: PARTITIONS },
  ]);
});
afterAll(async () => {
  await log.close();
});

describe('a morning at the coffee shop', () => {
  it('keeps every promise through all failures and a crash, and the revenue view equals the ledger exactly', async () => {
    const morning = sampleMorning({ count: 200, seed: 2026, declinedRate: 0.08, malformedRate: 0.03 });
    const ends = await produceOrders(log, ORDERS_TOPIC, morning.records, PARTITIONS);
    const shop = { keyspace: new MemoryKeyspace() };
    const gateway = new PaymentGateway(shop);
    const stockRoom = new StockRoom({ ...shop, portions: PORTIONS });
    const views = { keyspace: new MemoryKeyspace() };
    const revenue = revenueView({ source: EVENTS_TOPIC, bucketOffsets: 20 });
    const customers = customerOrdersView({ source: EVENTS_TOPIC, bucketOffsets: 20 });
    const durable = new FileOffsetStore(join(log.dir, 'mixed-offsets.json'));
    const shopTopology = (offsetStore: CrashableOffsetStore, emitsPerCall?: number) =>
      buildCoffeeShopTopology({ bootstrap: log.bootstrap, brokers: log.brokers, ordersTopic: ORDERS_TOPIC, eventsTopic: EVENTS_TOPIC, offsetStore, gateway, stockRoom, faults: FAULTS, commitIntervalMs: 50, ...(emitsPerCall === undefined ? {} : { emitsPerCall }) });

    const cluster = new LocalCluster();
    try {
      const speed = new TopologyBuilder();
      for (const view of [revenue, customers]) {
        await view.create(views);
        view.addTo(speed, { ...views, bootstrap: log.bootstrap, offsetStore: new FileOffsetStore(join(log.dir, `${view.name}-offsets.json`)) });
      }
      await cluster.submitTopology('views', {}, speed.createTopology());

      const first = new CrashableOffsetStore(durable);
      await cluster.submitTopology('shop-1', THROTTLED, shopTopology(first, 1));
      const committed = () => Promise.all(ends.map(async (_, partition) => (await durable.read(ORDERS_TOPIC, partition)) ?? 0));
      await until('a quarter of the orders committed', async () => (await committed()).reduce((a, b) => a + b, 0) >= 50, 30_000, 10);
      // The process dies: from now on nothing is committed, and what it charged, reserved and wrote stays.
      await first.crash();
      const committedAtCrash = await committed();
      expect(committedAtCrash.reduce((a, b) => a + b, 0)).toBeLessThan(morning.records.length);
      // Record i went to partition i mod PARTITIONS at offset i div PARTITIONS (produceOrders).
      const aboveCommit = new Set(morning.records.flatMap((record, index) => (record.key !== null && Math.floor(index / PARTITIONS) >= committedAtCrash[index % PARTITIONS]! ? [record.key] : [])));
      const begunAboveCommit = async () => new Set((await readOrderEvents(log, EVENTS_TOPIC, PARTITIONS)).filter((event) => event.step === 'received' && aboveCommit.has(event.orderId)).map((event) => event.orderId));
      await until('an order above the commit to be in the trail', async () => (await begunAboveCommit()).size > 0, 30_000, 10);
      await cluster.killTopology('shop-1');
      const begun = await begunAboveCommit();

      await cluster.submitTopology('shop-2', { 'topology.message.timeout.secs': 10 }, shopTopology(new CrashableOffsetStore(durable)));
      await until('every order committed after the restart', () => committedThrough(durable, ORDERS_TOPIC, ends), 60_000);
      await cluster.killTopology('shop-2', { waitSecs: 5 });
      const eventEnds = await endOffsets(log.bootstrap, EVENTS_TOPIC, PARTITIONS);
      await until('the views\' speed layer to read the whole trail', async () => {
        for (const view of [revenue, customers]) if (!(await committedThrough(new FileOffsetStore(join(log.dir, `${view.name}-offsets.json`)), EVENTS_TOPIC, eventEnds))) return false;
        return true;
      }, 30_000);

      const events = await readOrderEvents(log, EVENTS_TOPIC, PARTITIONS);
      const ledger = await gateway.ledger();
      const books = checkSaga({ orders: morning.orders, ledger, events });
      expect(books.violations).toEqual([]);
      expect(books.delivered + books.cancelled).toBe(morning.orders.length);
      expect(books.rejected).toBe(morning.records.length - morning.orders.length);
      // Every failure happened, and replays duplicated events in the trail.
      expect(books.rejected).toBeGreaterThan(0);
      expect(books.writeOffs).toBeGreaterThan(0);
      expect(ledger.filter((record) => record.status === 'declined').length).toBeGreaterThan(0);
      expect(ledger.filter((record) => record.refundedCents > 0).length).toBeGreaterThan(0);
      expect(ledger.filter((record) => record.chargeRequests > 1).length).toBeGreaterThan(0);
      expect(events.length).toBeGreaterThan(distinctEvents(events).length);
      // The restart replayed every order the first run had begun above its last commit.
      expect([...begun].filter((orderId) => events.filter((event) => event.orderId === orderId && event.step === 'received').length < 2)).toEqual([]);
      for (const order of morning.orders) {
        const outcome = books.outcomes.get(order.orderId)!;
        if (outcome.end !== 'delivered') expect({ orderId: order.orderId, net: outcome.chargedCents - outcome.refundedCents }).toEqual({ orderId: order.orderId, net: 0 });
      }
      for (const [drink, portions] of Object.entries(PORTIONS)) expect((await stockRoom.stock(drink)).holders).toHaveLength(portions);

      const expectedRevenue = revenueByDrink(ledger);
      const naive = events.filter((event) => event.step === 'charged').reduce((sum, event) => sum + event.amountCents, 0);
      expect(naive).toBeGreaterThan(ledger.reduce((sum, record) => sum + record.chargedCents, 0)); // what a plain sum over the trail would report
      const expectedCustomers = new Map<string, string[]>();
      for (const order of morning.orders) expectedCustomers.set(order.customer, [...(expectedCustomers.get(order.customer) ?? []), order.orderId].sort());
      const checkViews = async (batchVersion: number | undefined) => {
        for (const drink of DRINKS) {
          const answer = await revenue.get(views, drink);
          expect({ drink, batchVersion: answer.batchVersion, cents: revenueOf(answer.value as string[]) }).toEqual({ drink, batchVersion, cents: expectedRevenue.get(drink) ?? 0 });
        }
        for (const [customer, orderIds] of expectedCustomers) expect({ customer, orders: (await customers.get(views, customer)).value }).toEqual({ customer, orders: orderIds });
      };
      await checkViews(undefined);

      const context = new BatchContext({ workDirectory: join(log.dir, 'mixed-batch'), slots: 1 });
      try {
        for (const view of [revenue, customers]) expect((await view.recompute({ ...views, bootstrap: log.bootstrap, context })).version).toBe(1);
      } finally {
        await context.stop();
      }
      await checkViews(1);
    } finally {
      await cluster.shutdown();
    }
  }, 180_000);
});
