#!/usr/bin/env node
/**
 * A morning at the coffee shop, end to end: produces a seeded morning of orders (with declined
 * cards, drinks that run out and records that are not orders) into `orders`, runs the saga
 * topology (with seeded spills and barista failures) and the views' speed topology in a
 * LocalCluster, waits until every order's saga has ended and the views have read the whole
 * trail, runs the batch recompute, and prints the books, the revenue per drink from the view
 * beside the gateway's ledger, and the customers with most orders.
 *
 *   node dist/examples/coffee-orders/run.js                       # embedded coord + broker, views in memory
 *   node dist/core/cli/barista.js dev &                            # or against a running stack:
 *   node dist/examples/coffee-orders/run.js --kafka 127.0.0.1:9092 --redis 127.0.0.1:6380
 *
 * With --redis the gateway's ledger, the stock and the views live on that serving node (or Redis),
 * so `barista query` can read them afterwards. Exits 1 if any order broke the saga's promises.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { BatchContext } from '../../batch/context/batch-context.js';
import { parseHostPort } from '../../core/cli/dev-external.js';
import { CoordNode } from '../../core/coord/coord-node.js';
import { Broker } from '../../core/log/broker/broker.js';
import type { KafkaEndpoint } from '../../core/log/client/kafka-connection.js';
import { createLogger } from '../../core/telemetry/logger.js';
import { TopologyBuilder } from '../../core/topology/builder/topology-builder.js';
import { LocalCluster } from '../../core/topology/runtime/local-cluster.js';
import { RespKeyspace } from '../../serving/client/resp-keyspace.js';
import type { Keyspace } from '../../serving/keyspace/keyspace.js';
import { MemoryKeyspace } from '../../serving/keyspace/memory-keyspace.js';
import { FileOffsetStore } from '../../spouts/offset-store.js';
import { checkSaga, type SagaBooks } from './invariant.js';
import { MAX_RUN_ORDERS, RUN_CATCH_UP_TIMEOUT_MS, RUN_POLL_INTERVAL_MS } from './limits.js';
import { committedThrough, endOffsets } from './offsets.js';
import { DRINKS, type Order } from './order.js';
import { PaymentGateway, revenueByDrink } from './payment-gateway.js';
import { sampleMorning } from './sample-orders.js';
import { StockRoom } from './stock-room.js';
import { readOrderEvents } from './trail-reader.js';
import { buildCoffeeShopTopology, COMPONENT, ORDER_EVENTS_TOPIC, ORDERS_TOPIC } from './topology.js';
import { customerOrdersView, revenueOf, revenueView } from './views.js';

const PARTITIONS = 2;
/** Small buckets, so that the batch recompute of a morning of a few hundred orders covers most of the trail. */
const RUN_VIEWS = { bucketOffsets: 50 };
/** Fixed, not drawn from --seed: an order replayed by a later run (same stack, no --offsets-dir)
 * must meet the same spills it met the first time, or its trail would tell two stories. */
const RUN_FAULTS = { spills: { rate: 0.1, seed: 1 }, baristaThrows: { rate: 0.05, seed: 1 } };

export interface MorningOptions {
  /** An external broker (host:port); default: a coord and a broker embedded in this process. */
  readonly kafka?: string;
  /** A serving node or Redis (host:port) for the ledger, the stock and the views; default: in memory. */
  readonly redis?: string;
  readonly orders: number;
  readonly seed: number;
  /** Where the spouts keep their offsets (default: a temporary directory). */
  readonly offsetsDir?: string;
  readonly logLevel: string;
}

export class RunUsageError extends Error {
  readonly code = 'USAGE';
  constructor(option: string, value: unknown, expected: string) {
    super(`--${option} is ${JSON.stringify(value)}; expected ${expected}`);
    this.name = 'RunUsageError';
  }
}

interface Stack {
  readonly bootstrap: KafkaEndpoint;
  readonly keyspace: Keyspace;
  readonly workDir: string;
  close(): Promise<void>;
}

async function openStack(options: MorningOptions): Promise<Stack> {
  const workDir = await mkdtemp(join(tmpdir(), 'coffee-orders-'));
  const closers: (() => Promise<void>)[] = [() => rm(workDir, { recursive: true, force: true })];
  const close = async () => {
    for (const closer of closers.reverse()) await closer();
  };
  try {
    let bootstrap: KafkaEndpoint;
    if (options.kafka === undefined) {
      const coord = await CoordNode.start({ serverId: 1, members: new Map(), dataDir: join(workDir, 'coord') });
      closers.push(() => coord.stop());
      const broker = await Broker.start({ dataDir: join(workDir, 'log'), coord: `127.0.0.1:${coord.clientPort}`, autoCreateTopics: false });
      closers.push(() => broker.close());
      bootstrap = { host: '127.0.0.1', port: broker.address().port };
    } else {
      bootstrap = parseHostPort(options.kafka, '--kafka');
    }
    let keyspace: Keyspace = new MemoryKeyspace();
    if (options.redis !== undefined) {
      const remote = await RespKeyspace.connect(parseHostPort(options.redis, '--redis'));
      closers.push(() => remote.close());
      keyspace = remote;
    }
    return { bootstrap, keyspace, workDir, close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function ensureTopics(kafka: Kafka): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = [ORDERS_TOPIC, ORDER_EVENTS_TOPIC].filter((topic) => !existing.has(topic)).map((topic) => ({ topic, numPartitions: PARTITIONS }));
    if (missing.length > 0) await admin.createTopics({ topics: missing, waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

async function waitFor(what: string, condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + RUN_CATCH_UP_TIMEOUT_MS;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up after ${RUN_CATCH_UP_TIMEOUT_MS} ms waiting for ${what}; see the log on stderr`);
    await new Promise((done) => setTimeout(done, RUN_POLL_INTERVAL_MS));
  }
}

export interface MorningReport {
  readonly books: SagaBooks;
  /** Per drink: cents by the view (batch ⊕ realtime) and by the gateway's ledger. */
  readonly revenue: ReadonlyMap<string, { view: number; ledger: number }>;
  /** Customers by orders received, most first. */
  readonly topCustomers: readonly (readonly [string, number])[];
}

/** Runs one morning; `print` gets the report's lines. */
export async function runMorning(options: MorningOptions, print: (line: string) => void): Promise<MorningReport> {
  const logger = createLogger({ name: 'coffee-orders', level: options.logLevel });
  const stack = await openStack(options);
  const cluster = new LocalCluster({ logger });
  try {
    const brokers = [`${stack.bootstrap.host}:${stack.bootstrap.port}`];
    const kafka = new Kafka({ brokers, clientId: 'coffee-orders-till', logLevel: logLevel.NOTHING });
    await ensureTopics(kafka);
    const morning = sampleMorning({ count: options.orders, seed: options.seed, declinedRate: 0.08, malformedRate: 0.03 });
    const orderStarts = await endOffsets(stack.bootstrap, ORDERS_TOPIC, PARTITIONS);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: ORDERS_TOPIC, acks: -1, messages: morning.records.map((record) => ({ key: record.key, value: record.value })) }).finally(() => producer.disconnect());
    const orderEnds = await endOffsets(stack.bootstrap, ORDERS_TOPIC, PARTITIONS);
    print(`till: ${morning.records.length} records into '${ORDERS_TOPIC}' (${morning.orders.length} orders)`);

    const store = { keyspace: stack.keyspace };
    const gateway = new PaymentGateway(store);
    const scarce = Math.ceil(options.orders / 8);
    const stockRoom = new StockRoom({ ...store, portions: { mocha: scarce, cappuccino: scarce } });
    const offsetsDir = options.offsetsDir ?? stack.workDir;
    await mkdir(offsetsDir, { recursive: true });
    const views = [revenueView(RUN_VIEWS), customerOrdersView(RUN_VIEWS)];
    const viewOffsets = views.map((view) => new FileOffsetStore(join(offsetsDir, `${view.name}-offsets.json`)));
    const speed = new TopologyBuilder();
    for (const [index, view] of views.entries()) {
      await view.create(store);
      view.addTo(speed, { ...store, bootstrap: stack.bootstrap, offsetStore: viewOffsets[index]! });
    }
    await cluster.submitTopology('coffee-views', {}, speed.createTopology());
    const shopOffsets = new FileOffsetStore(join(offsetsDir, 'coffee-shop-offsets.json'));
    await cluster.submitTopology('coffee-shop', {}, buildCoffeeShopTopology({ bootstrap: stack.bootstrap, brokers, offsetStore: shopOffsets, gateway, stockRoom, faults: RUN_FAULTS }));
    await waitFor('every order of the morning to end', () => committedThrough(shopOffsets, ORDERS_TOPIC, orderEnds));
    const replays = cluster.getStats('coffee-shop').find((stats) => stats.componentId === COMPONENT.till)?.failed ?? 0;
    print(`shop: every order's saga ended; ${replays} orders replayed after a step failed (the barista's injected failures)`);
    await cluster.killTopology('coffee-shop', { waitSecs: 5 });
    const eventEnds = await endOffsets(stack.bootstrap, ORDER_EVENTS_TOPIC, PARTITIONS);
    for (const [index, view] of views.entries()) await waitFor(`view ${view.name} to read the trail`, () => committedThrough(viewOffsets[index]!, ORDER_EVENTS_TOPIC, eventEnds));

    const context = new BatchContext({ workDirectory: join(stack.workDir, 'batch'), slots: 1 });
    try {
      for (const view of views) {
        const run = await view.recompute({ ...store, bootstrap: stack.bootstrap, context });
        print(`batch: ${view.name} version ${run.version}, cut-offs ${JSON.stringify(run.cutOffs)}`);
      }
    } finally {
      await context.stop();
    }
    return await report(stack.bootstrap, morning.orders, orderStarts, gateway, store, print);
  } finally {
    await cluster.shutdown();
    await stack.close();
  }
}

const REJECTED_ID = /^malformed@(\d+):(\d+)$/;

/** Whether a rejected record's event comes from this morning's records (at or above `starts`). */
function rejectedThisMorning(orderId: string, starts: readonly number[]): boolean {
  const place = REJECTED_ID.exec(orderId);
  return place !== null && Number(place[2]) >= (starts[Number(place[1])] ?? 0);
}

async function report(bootstrap: KafkaEndpoint, orders: readonly Order[], orderStarts: readonly number[], gateway: PaymentGateway, store: { keyspace: Keyspace }, print: (line: string) => void): Promise<MorningReport> {
  const ledger = await gateway.ledger();
  // An earlier morning on the same stack left its own orders in the ledger and the trail.
  const mine = new Set(orders.map((order) => order.orderId));
  const events = (await readOrderEvents(bootstrap, ORDER_EVENTS_TOPIC, PARTITIONS)).filter((event) => mine.has(event.orderId) || (event.step === 'rejected' && rejectedThisMorning(event.orderId, orderStarts)));
  const books = checkSaga({ orders, ledger: ledger.filter((record) => mine.has(record.orderId)), events });
  print(`books: ${books.delivered} delivered, ${books.cancelled} cancelled, ${books.rejected} rejected records, ${books.writeOffs} drinks written off (${books.writeOffCents} cents), ${books.violations.length} broken promises`);
  for (const violation of books.violations.slice(0, 10)) print(`  ${violation.orderId}: ${violation.rule} — ${violation.detail}`);
  const expected = revenueByDrink(ledger);
  const revenue = new Map<string, { view: number; ledger: number }>();
  print('revenue per drink (view = batch ⊕ realtime, ledger = gateway):');
  for (const drink of DRINKS) {
    const answer = await revenueView(RUN_VIEWS).get(store, drink);
    const figures = { view: revenueOf(answer.value as string[]), ledger: expected.get(drink) ?? 0 };
    revenue.set(drink, figures);
    print(`  ${drink.padEnd(12)} ${String(figures.view).padStart(8)} ${String(figures.ledger).padStart(8)}${figures.view === figures.ledger ? '' : '  MISMATCH'}`);
  }
  const customers = [...new Set(orders.map((order) => order.customer))];
  const counts = await Promise.all(customers.map(async (customer) => [customer, ((await customerOrdersView(RUN_VIEWS).get(store, customer)).value as string[]).length] as const));
  const topCustomers = counts.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 5);
  print(`most orders: ${topCustomers.map(([customer, count]) => `${customer} ${count}`).join(', ')}`);
  return { books, revenue, topCustomers };
}

function integerOption(option: string, value: string, min: number, max: number): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) throw new RunUsageError(option, value, `an integer from ${min} to ${max}`);
  return parsed;
}

export function parseMorningOptions(argv: readonly string[]): MorningOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      kafka: { type: 'string' },
      redis: { type: 'string' },
      orders: { type: 'string', default: '200' },
      seed: { type: 'string', default: '1' },
      'offsets-dir': { type: 'string' },
      'log-level': { type: 'string', default: 'error' },
    },
    strict: true,
  });
  return {
    ...(values.kafka === undefined ? {} : { kafka: values.kafka }),
    ...(values.redis === undefined ? {} : { redis: values.redis }),
    ...(values['offsets-dir'] === undefined ? {} : { offsetsDir: resolve(values['offsets-dir']) }),
    orders: integerOption('orders', values.orders, 1, MAX_RUN_ORDERS),
    seed: integerOption('seed', values.seed, 0, Number.MAX_SAFE_INTEGER),
    logLevel: values['log-level'],
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runMorning(parseMorningOptions(process.argv.slice(2)), (line) => process.stdout.write(`${line}\n`)).then(
    (report) => process.exit(report.books.violations.length === 0 ? 0 : 1),
    (error: unknown) => {
      process.stderr.write(`coffee-orders: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
