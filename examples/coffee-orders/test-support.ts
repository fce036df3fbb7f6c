/**
 * What the coffee-shop tests share (on top of examples/wordcount/test-support.ts's embedded coord
 * and broker): topics per test, producing the till's records, reading the trail back, and an
 * offset store that can "crash" — stop recording commits — like a killed process.
 */
import { join } from 'node:path';
import { LocalCluster } from '../../core/topology/runtime/local-cluster.js';
import { MemoryKeyspace } from '../../serving/keyspace/memory-keyspace.js';
import { FileOffsetStore } from '../../spouts/offset-store.js';
import { until } from '../../test/support/until.js';
import { createTopics, type EmbeddedLog } from '../wordcount/test-support.js';
import type { ShopFaults } from './faults.js';
import { checkSaga, type SagaBooks } from './invariant.js';
import { committedThrough } from './offsets.js';
import { distinctEvents, type OrderEvent } from './order-events.js';
import { readOrderEvents as readTrail } from './trail-reader.js';
import type { Drink, Order } from './order.js';
import { PaymentGateway, type PaymentRecord } from './payment-gateway.js';
import { StockRoom } from './stock-room.js';
import { buildCoffeeShopTopology, COMPONENT } from './topology.js';

/** Records per produce request. */
const RECORDS_PER_SEND = 50;

/** Produces the till's records round robin over `partitions`; returns each partition's end offset. */
export async function produceOrders(log: EmbeddedLog, topic: string, records: readonly { key: string | null; value: string }[], partitions: number): Promise<number[]> {
  const producer = log.kafka.producer();
  await producer.connect();
  try {
    for (let start = 0; start < records.length; start += RECORDS_PER_SEND) {
      const messages = records.slice(start, start + RECORDS_PER_SEND).map((record, index) => ({ ...record, partition: (start + index) % partitions }));
      await producer.send({ topic, acks: -1, messages });
    }
  } finally {
    await producer.disconnect();
  }
  return Array.from({ length: partitions }, (_, partition) => Math.ceil((records.length - partition) / partitions));
}

/** Every event in `topic` (all `partitions`), duplicates included. */
export function readOrderEvents(log: EmbeddedLog, topic: string, partitions: number): Promise<OrderEvent[]> {
  return readTrail(log.bootstrap, topic, partitions);
}

export { CrashableOffsetStore } from '../../test/support/crashable-offset-store.js';

export interface ShopRunOptions {
  /** Names the topics (`orders-<name>`, `order-events-<name>`), the topology and the offsets file. */
  readonly name: string;
  readonly records: readonly { key: string | null; value: string }[];
  readonly orders: readonly Order[];
  readonly portions?: Partial<Record<Drink, number>>;
  readonly faults?: ShopFaults;
  readonly partitions?: number;
}

export interface ShopRun {
  readonly events: OrderEvent[];
  readonly ledger: PaymentRecord[];
  readonly books: SagaBooks;
  readonly gateway: PaymentGateway;
  readonly stockRoom: StockRoom;
  /** Spout tuples failed (and so replayed) during the run. */
  readonly spoutFailures: number;
}

/** Runs the shop over `records` in a LocalCluster until every order's offset is committed, then reads the books. */
export async function runShopToEnd(log: EmbeddedLog, options: ShopRunOptions): Promise<ShopRun> {
  const partitions = options.partitions ?? 2;
  const ordersTopic = `orders-${options.name}`;
  const eventsTopic = `order-events-${options.name}`;
  await createTopics(log, [
    { topic: ordersTopic, numPartitions: partitions },
    { topic: eventsTopic, numPartitions: partitions },
  ]);
  const ends = await produceOrders(log, ordersTopic, options.records, partitions);
  const shop = { keyspace: new MemoryKeyspace() };
  const gateway = new PaymentGateway(shop);
  const stockRoom = new StockRoom({ ...shop, ...(options.portions === undefined ? {} : { portions: options.portions }) });
  const offsetStore = new FileOffsetStore(join(log.dir, `${options.name}-offsets.json`));
  const topology = buildCoffeeShopTopology({ bootstrap: log.bootstrap, brokers: log.brokers, ordersTopic, eventsTopic, offsetStore, gateway, stockRoom, commitIntervalMs: 50, ...(options.faults === undefined ? {} : { faults: options.faults }) });
  const cluster = new LocalCluster();
  let spoutFailures = 0;
  try {
    await cluster.submitTopology(options.name, { 'topology.message.timeout.secs': 10 }, topology);
    await until('every order committed', () => committedThrough(offsetStore, ordersTopic, ends), 30_000);
    spoutFailures = cluster.getStats(options.name).find((stats) => stats.componentId === COMPONENT.till)?.failed ?? 0;
  } finally {
    await cluster.shutdown();
  }
  const events = await readOrderEvents(log, eventsTopic, partitions);
  const ledger = await gateway.ledger();
  return { events, ledger, books: checkSaga({ orders: options.orders, ledger, events }), gateway, stockRoom, spoutFailures };
}

/** The steps of one order's trail, duplicates dropped, in log order. */
export function trailOf(events: readonly OrderEvent[], orderId: string): string[] {
  return distinctEvents(events.filter((event) => event.orderId === orderId)).map((event) => (event.attempt === undefined || event.step !== 'written-off' ? event.step : `${event.step}/${event.attempt}`));
}
