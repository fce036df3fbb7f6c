/**
 * `npm run bench -- coord`: the same client (node-zookeeper-client) against real ZooKeeper 3.8
 * and Barista's coordination service, standalone and as 3-server ensembles, on this machine in
 * this run. Throughput of create / setData / getData / delete with CONCURRENCY requests in flight,
 * and p50/p99 latency of those requests; Barista's figure as a ratio of ZooKeeper's.
 */
import zookeeper from 'node-zookeeper-client';
import { startCoordEnsemble } from '../test/support/coord.js';
import { startZooKeeper, startZooKeeperEnsemble } from '../test/support/zookeeper.js';
import { percentile } from './percentile.js';
import { printComparisons, type Comparison } from './report.js';

const OPS_PER_KIND = Number(process.env.BENCH_COORD_OPS ?? 4_000);
const CONCURRENCY = 32;
const PAYLOAD = Buffer.alloc(100, 'x');
type Kind = 'create' | 'setData' | 'getData' | 'delete';
const KINDS: Kind[] = ['create', 'setData', 'getData', 'delete'];

interface Figures {
  opsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

async function connect(connectString: string): Promise<zookeeper.Client> {
  const client = zookeeper.createClient(connectString, { sessionTimeout: 30_000 });
  await new Promise<void>((resolve) => {
    client.once('connected', () => resolve());
    client.connect();
  });
  return client;
}

function call(client: zookeeper.Client, kind: Kind, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error: unknown) => (error ? reject(error) : resolve());
    if (kind === 'create') client.create(path, PAYLOAD, done);
    else if (kind === 'setData') client.setData(path, PAYLOAD, -1, done);
    else if (kind === 'getData') client.getData(path, done);
    else client.remove(path, -1, done);
  });
}

/** Runs OPS_PER_KIND operations of each kind over paths /bench/<run>/<n>, CONCURRENCY at a time. */
async function measure(connectString: string, run: string): Promise<Record<Kind, Figures>> {
  const client = await connect(connectString);
  const root = `/bench-${run}`;
  await new Promise<void>((resolve) => client.create(root, () => resolve()));
  const results = {} as Record<Kind, Figures>;
  for (const kind of KINDS) {
    const latencies: number[] = [];
    let next = 0;
    const start = performance.now();
    const worker = async () => {
      while (next < OPS_PER_KIND) {
        const n = next++;
        const began = performance.now();
        await call(client, kind, `${root}/${n}`);
        latencies.push(performance.now() - began);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = (performance.now() - start) / 1000;
    latencies.sort((a, b) => a - b);
    results[kind] = { opsPerSecond: OPS_PER_KIND / seconds, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99) };
  }
  client.close();
  return results;
}

function rows(label: string, barista: Record<Kind, Figures>, reference: Record<Kind, Figures>, referenceName: string): Comparison[] {
  return KINDS.flatMap((kind) => [
    { case: `${label} ${kind} throughput`, unit: 'ops/s', barista: barista[kind].opsPerSecond, baseline: reference[kind].opsPerSecond, baselineName: referenceName, goal: 1.0 },
    { case: `${label} ${kind} p50 latency`, unit: 'ms', barista: barista[kind].p50Ms, baseline: reference[kind].p50Ms, baselineName: referenceName, lowerIsBetter: true },
    { case: `${label} ${kind} p99 latency`, unit: 'ms', barista: barista[kind].p99Ms, baseline: reference[kind].p99Ms, baselineName: referenceName, lowerIsBetter: true },
  ]);
}

export async function run(): Promise<void> {
  const all: Comparison[] = [];
  {
    const real = await startZooKeeper();
    const ours = await startCoordEnsemble({ servers: 1 });
    try {
      const reference = await measure(`127.0.0.1:${real.port}`, 'standalone');
      const barista = await measure(ours.connectString, 'standalone');
      all.push(...rows('standalone', barista, reference, 'ZooKeeper 3.8'));
    } finally {
      await Promise.all([real.stop(), ours.stop()]);
    }
  }
  {
    const real = await startZooKeeperEnsemble(3);
    const ours = await startCoordEnsemble({ servers: 3 });
    try {
      const reference = await measure(real.connectString, 'ensemble');
      const barista = await measure(ours.connectString, 'ensemble');
      all.push(...rows('3 servers', barista, reference, 'ZooKeeper 3.8'));
    } finally {
      await Promise.all([real.stop(), ours.stop()]);
    }
  }
  printComparisons(`coordination: node-zookeeper-client, ${OPS_PER_KIND} ops per kind, ${CONCURRENCY} in flight`, all);
}
