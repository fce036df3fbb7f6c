/**
 * `npm run bench -- serving`: redis-benchmark -t set,get (-c 50, plain and -P 16) against the
 * real redis-server and against Barista serving nodes in the same run: one node, and three
 * nodes around one coord with N=3, R=W=2 (every request a quorum of two replicas). Each figure
 * is a ratio of redis-server's. The servers are separate processes on this machine.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BARISTA_BIN } from '../test/support/barista.js';
import { freePort, waitForPort } from '../test/support/ports.js';
import { startProcess, type ManagedProcess } from '../test/support/processes.js';
import { startRedisServer } from '../test/support/redis.js';
import { printComparisons, type Comparison } from './report.js';

const REQUESTS = Number(process.env.BENCH_SERVING_REQUESTS ?? 200_000);
const CLIENTS = 50;

/** requests/s per test, from redis-benchmark's quiet CSV output. */
function redisBenchmark(port: number, pipeline: number): Map<string, number> {
  const result = spawnSync('redis-benchmark', ['-p', String(port), '-t', 'set,get', '-n', String(REQUESTS), '-c', String(CLIENTS), '-P', String(pipeline), '--csv'], { encoding: 'utf8', timeout: 30 * 60_000 });
  if (result.status !== 0) throw new Error(`redis-benchmark failed: ${result.stderr}`);
  const rates = new Map<string, number>();
  for (const line of result.stdout.split('\n')) {
    const [name, rate] = line.split(',').map((cell) => cell.replace(/"/g, ''));
    if (name === 'SET' || name === 'GET') rates.set(name, Number(rate));
  }
  return rates;
}

async function startServing(dir: string, nodes: number): Promise<{ port: number; stop: () => Promise<void> }> {
  const processes: ManagedProcess[] = [];
  const stop = async () => {
    for (const process of processes.reverse()) await process.stop();
  };
  const extra: string[] = [];
  if (nodes > 1) {
    const coordPort = await freePort();
    processes.push(await startProcess({ name: 'barista coord', command: process.execPath, args: [BARISTA_BIN, '--log-level', 'warn', 'coord', '--port', String(coordPort), '--data-dir', join(dir, 'coord')], ready: () => waitForPort(coordPort, 100).then(() => true, () => false) }));
    extra.push('--coord', `127.0.0.1:${coordPort}`);
  }
  const ports: number[] = [];
  for (let i = 1; i <= nodes; i++) {
    const port = await freePort();
    ports.push(port);
    processes.push(await startProcess({ name: `barista serve ${i}`, command: process.execPath, args: [BARISTA_BIN, '--log-level', 'warn', 'serve', '--id', `s${i}`, '--port', String(port), '--data-dir', join(dir, `s${i}`), ...extra], ready: () => waitForPort(port, 100).then(() => true, () => false) }));
  }
  // Let every node see the whole ring before measuring.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  return { port: ports[0]!, stop };
}

export async function runServingBenchmark(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'barista-bench-serving-'));
  const rows: Comparison[] = [];
  try {
    const redis = await startRedisServer();
    const baseline = new Map<number, Map<string, number>>();
    try {
      for (const pipeline of [1, 16]) baseline.set(pipeline, redisBenchmark(redis.port, pipeline));
    } finally {
      await redis.stop();
    }
    for (const [nodes, label, goal] of [
      [1, '1 node', 0.4],
      [3, '3 nodes N=3 R=W=2', 0.15],
    ] as const) {
      const serving = await startServing(join(dir, `n${nodes}`), nodes);
      try {
        for (const pipeline of [1, 16]) {
          const rates = redisBenchmark(serving.port, pipeline);
          for (const command of ['SET', 'GET']) {
            rows.push({ case: `${label} ${command}${pipeline > 1 ? ` -P ${pipeline}` : ''}`, unit: 'req/s', barista: rates.get(command) ?? 0, baseline: baseline.get(pipeline)?.get(command) ?? 1, baselineName: 'redis-server', goal });
          }
        }
      } finally {
        await serving.stop();
      }
    }
    printComparisons(`serving: redis-benchmark -t set,get -n ${REQUESTS} -c ${CLIENTS}, vs redis-server (same run)`, rows);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export { runServingBenchmark as run };
