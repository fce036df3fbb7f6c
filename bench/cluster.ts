/**
 * `npm run bench -- cluster`: the word count (lines of The Raven → split → count by word, acking on)
 * on two worker processes (tasks dealt evenly, so tuples, acks and verdicts cross processes) against
 * — in the same run — the same topology in one LocalCluster process. Figure: words/s ratio (issue
 * 8's goal on this 2-core machine: ≥ 1.5x), and the spouts' complete latency in each.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { LocalCluster } from '../core/topology/runtime/local-cluster.js';
import { evenAssignment } from '../core/topology/distributed/assignment.js';
import { ackerTaskIdsOf } from '../core/topology/distributed/worker.js';
import { freePort } from '../test/support/ports.js';
import { startProcess, type ManagedProcess } from '../test/support/processes.js';
import { printComparisons } from './report.js';
import wordCount from './topologies/word-count.js';

const TOTAL = Number(process.env.BENCH_CLUSTER_LINES ?? 200_000);
const WORDS_PER_LINE_ESTIMATE_RUNS = 1;
const MODULE = new URL('./topologies/word-count.js', import.meta.url).pathname;
const WORKER_MAIN = new URL('../core/topology/cluster/worker-process.js', import.meta.url).pathname;

async function waitForDone(directory: string, prefix: string, spouts: number): Promise<void> {
  for (;;) {
    const done = readdirSync(directory).filter((name) => name.startsWith(prefix) && name.endsWith('.done')).length;
    if (done >= spouts) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function localRun(directory: string): Promise<{ seconds: number; p50: number; p99: number }> {
  const out = join(directory, 'local');
  const built = wordCount({ total: String(TOTAL), out, parallelism: '2' });
  const cluster = new LocalCluster();
  const startMs = performance.now();
  await cluster.submitTopology('bench', built.config ?? {}, built.topology);
  await waitForDone(directory, 'local', 2);
  const seconds = (performance.now() - startMs) / 1000;
  const spout = cluster.getStats('bench').find((stats) => stats.componentId === 'lines');
  await cluster.shutdown();
  return { seconds, p50: spout?.completeLatencyMs.p50 ?? 0, p99: spout?.completeLatencyMs.p99 ?? 0 };
}

async function distributedRun(directory: string): Promise<{ seconds: number; p50: number; p99: number }> {
  const out = join(directory, 'dist');
  const args = { total: String(TOTAL), out, parallelism: '2' };
  const built = wordCount(args);
  const workers = { w1: { host: '127.0.0.1', port: await freePort() }, w2: { host: '127.0.0.1', port: await freePort() } };
  const assignmentPath = join(directory, 'assignment.json');
  writeFileSync(assignmentPath, JSON.stringify(evenAssignment(built.topology, ackerTaskIdsOf(built.config ?? {}), workers)));
  const processes: ManagedProcess[] = [];
  try {
    const moduleArgs = Object.entries(args).flatMap(([key, value]) => ['--arg', `${key}=${value}`]);
    const startMs = performance.now();
    for (const worker of Object.keys(workers)) {
      processes.push(await startProcess({ name: `worker ${worker}`, command: process.execPath, args: [WORKER_MAIN, '--module', MODULE, '--worker', worker, '--assignment', assignmentPath, ...moduleArgs], ready: () => Promise.resolve(true) }));
    }
    await waitForDone(directory, 'dist', 2);
    const seconds = (performance.now() - startMs) / 1000;
    const latencies = { p50: 0, p99: 0 };
    for (const worker of processes) {
      await worker.stop();
      const line = worker.output().split('\n').find((text) => text.startsWith('stats '));
      const spout = line === undefined ? undefined : (JSON.parse(line.slice(6)) as { componentId: string; completeLatencyMs: { p50: number; p99: number } }[]).find((stats) => stats.componentId === 'lines');
      latencies.p50 = Math.max(latencies.p50, spout?.completeLatencyMs.p50 ?? 0);
      latencies.p99 = Math.max(latencies.p99, spout?.completeLatencyMs.p99 ?? 0);
    }
    return { seconds, ...latencies };
  } finally {
    for (const worker of processes) await worker.stop();
  }
}

export async function run(): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'barista-bench-cluster-'));
  try {
    const words = TOTAL * WORDS_PER_LINE_ESTIMATE_RUNS; // lines; the word rate follows the same ratio
    const local = await localRun(directory);
    const distributed = await distributedRun(directory);
    if (!existsSync(directory)) throw new Error('bench directory vanished');
    printComparisons(`cluster: word count of ${TOTAL.toLocaleString('en-US')} generated lines, acking on, 2 tasks per component`, [
      { case: '2 worker processes', unit: 'lines/s', barista: words / distributed.seconds, baseline: words / local.seconds, baselineName: 'one LocalCluster process', goal: 1.5 },
    ]);
    console.log(`complete latency p50/p99: 2 workers ${distributed.p50.toFixed(1)}/${distributed.p99.toFixed(1)} ms, one process ${local.p50.toFixed(1)}/${local.p99.toFixed(1)} ms (startup of the worker processes is included in their time)`);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
