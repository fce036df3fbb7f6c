/**
 * Scenario (d): the word-count Lambda view's speed layer (examples/wordcount/cluster-view-topology.ts)
 * on a topology cluster — coord, a broker, a serving node, nimbus and three supervisors running
 * three workers — reading The Raven from a 3-partition topic while copies of it keep arriving
 * (an idempotent producer), and the nemesis killing (-9) and pausing (SIGSTOP, past the 5 s tuple
 * timeout) the workers of one supervisor, the broker or the serving node at a time. Supervisors
 * restart killed workers, the harness the broker and serving node; trees through a dead or frozen
 * process time out and replay, often after later offsets of the same words went through.
 *
 * The check is the view's promise: once the spout has committed the end of every partition (it
 * commits only offsets below which every tree was fully acked), every word of the realtime view
 * equals the oracle × copies exactly — no delta lost, none applied twice.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot, ravenPath } from '../../../core/cli/package-root.js';
import { CoordClient } from '../../../core/coord/client/coord-client.js';
import { readAssignment, runningWorkerIds } from '../../../core/topology/cluster/cluster-store.js';
import { CoordOffsetStore } from '../../../spouts/coord-offset-store.js';
import { runBarista } from '../../support/barista.js';
import { startLambdaStack, type LambdaStack } from '../../support/lambda-stack.js';
import { PoemProducer } from '../../support/poem-producer.js';
import type { ManagedProcess } from '../../support/processes.js';
import { startNimbus, startSupervisor, workerRecord } from '../../support/topology-cluster.js';
import { until } from '../../support/until.js';
import { oracleWordCount } from '../../support/word-count-oracle.js';
import { faultLine, planFaults, runNemesis, type FaultTarget } from './nemesis.js';
import { faultKinds, settleWithin, type ScenarioResult } from './scenario.js';

const MODULE = join(packageRoot(), 'dist', 'examples', 'wordcount', 'cluster-view-topology.js');
const TOPOLOGY = 'nemesis-view';
const TOPIC = 'raven';
const PARTITIONS = 3;
const VIEW = 'words';
const OFFSETS_ROOT = `/test/${TOPOLOGY}/offsets/${VIEW}`;
const SUPERVISORS = ['s1', 's2', 's3'];
const SLOTS_PER_SUPERVISOR = 2;
const WORKERS = 3;
/** Seconds before an unacked tree replays: pauses reach past it on purpose. */
const TUPLE_TIMEOUT_SECS = 5;
const COPY_INTERVAL_MS = 1_000;
const MIN_COPIES = 5;
const MAX_COPIES = 120;
/** After a fault: every worker of the assignment running again. */
const SETTLE_TIMEOUT_MS = 60_000;
const SUBMITTED_TIMEOUT_MS = 60_000;
/** After the faults and the last copy: the spout commits the end of every partition within this. */
const DRAIN_TIMEOUT_MS = 120_000;
const POLL_MS = 250;
/** Of each service's output, shown after a violation. */
const OUTPUT_LINES_SHOWN = 40;

/** pids of the workers the current assignment places on `supervisor` (running ones only). */
async function workerPidsOn(client: CoordClient, supervisor: string): Promise<number[]> {
  const assignment = await readAssignment(client, TOPOLOGY);
  if (assignment === null) return [];
  const pids: number[] = [];
  for (const [workerId, placement] of Object.entries(assignment.placements)) {
    if (placement.supervisor !== supervisor) continue;
    const record = await workerRecord(client, TOPOLOGY, workerId);
    if (record !== null) pids.push(record.pid);
  }
  return pids;
}

function signalAll(pids: readonly number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone: its supervisor restarts it anyway.
    }
  }
}

/** Nodes after the supervisors' workers. */
const BROKER_NODE = SUPERVISORS.length;
const SERVING_NODE = SUPERVISORS.length + 1;

function lambdaTarget(client: CoordClient, stack: LambdaStack): FaultTarget {
  // pause() is synchronous, so it signals the pids read when the cluster last settled.
  const lastPids = new Map<number, number[]>();
  const paused = new Map<number, number[]>();
  return {
    nodeNames: [...SUPERVISORS.map((id) => `workers on ${id}`), 'broker', 'serving node'],
    kill: async (node) => {
      if (node === BROKER_NODE) await stack.killBroker();
      else if (node === SERVING_NODE) await stack.killServing();
      else signalAll(await workerPidsOn(client, SUPERVISORS[node]!), 'SIGKILL');
    },
    // Supervisors restart their workers: for those, settle() sees them back.
    restart: async (node) => {
      if (node === BROKER_NODE) await stack.restartBroker();
      else if (node === SERVING_NODE) await stack.restartServing();
    },
    pause: (node) => {
      const pids = node === BROKER_NODE ? [stack.broker.pid] : node === SERVING_NODE ? [stack.serving.pid] : (lastPids.get(node) ?? []);
      paused.set(node, pids);
      signalAll(pids, 'SIGSTOP');
    },
    resume: (node) => {
      signalAll(paused.get(node) ?? [], 'SIGCONT');
      paused.delete(node);
    },
    partition: () => {
      throw new Error('the Lambda scenario plans no partitions (workers reach each other directly)');
    },
    heal: () => undefined,
    delay: () => {
      throw new Error('the Lambda scenario plans no delays (workers reach each other directly)');
    },
    undelay: () => undefined,
    dataFiles: () => {
      throw new Error('the Lambda scenario plans no torn writes (workers keep no data)');
    },
    settle: () =>
      settleWithin(SETTLE_TIMEOUT_MS, async () => {
        const running = await runningWorkerIds(client, TOPOLOGY);
        if (running.length < WORKERS) return `${running.length} of ${WORKERS} workers running`;
        for (let node = 0; node < SUPERVISORS.length; node += 1) lastPids.set(node, await workerPidsOn(client, SUPERVISORS[node]!));
        return undefined;
      }),
  };
}

/** One line per word whose view value is not the oracle's. */
function viewDifferences(view: ReadonlyMap<string, number>, expected: ReadonlyMap<string, number>): string[] {
  const words = new Set([...view.keys(), ...expected.keys()]);
  return [...words].sort().flatMap((word) => (view.get(word) === expected.get(word) ? [] : [`word '${word}': view ${view.get(word) ?? 'absent'}, expected ${expected.get(word) ?? 'absent'}`]));
}

export async function lambdaViewScenario(seed: number, durationMs: number, log: (line: string) => void = () => undefined): Promise<ScenarioResult> {
  if (!existsSync(MODULE)) throw new Error(`${MODULE} is missing: run "npm run build" first`);
  const stack = await startLambdaStack({ name: 'nemesis-lambda', topic: TOPIC, partitions: PARTITIONS });
  const services: ManagedProcess[] = [];
  let client: CoordClient | undefined;
  let poem: PoemProducer | undefined;
  let target: FaultTarget | undefined;
  // Idempotent: a send retried across a broker kill must not put a line in twice.
  const producer = stack.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  try {
    const coord = stack.ensemble.connectString;
    client = await CoordClient.connect(coord);
    services.push(await startNimbus('nimbus', { coord, dataDir: stack.directory }));
    for (const id of SUPERVISORS) services.push(await startSupervisor(id, { coord, dataDir: stack.directory, slots: SLOTS_PER_SUPERVISOR }));

    const lines = readFileSync(ravenPath(), 'utf8').split('\n');
    await producer.connect();
    poem = new PoemProducer(producer, lines, { topic: TOPIC, partitions: PARTITIONS, minCopies: MIN_COPIES, maxCopies: MAX_COPIES, copyIntervalMs: COPY_INTERVAL_MS });
    poem.start();
    const args = { bootstrap: stack.brokerAddress, serving: stack.servingAddress, coord, topic: TOPIC, view: VIEW, parallelism: '3', timeoutSecs: String(TUPLE_TIMEOUT_SECS), offsetsRoot: OFFSETS_ROOT };
    const submitted = await runBarista(['submit', MODULE, '--coord', coord, '--name', TOPOLOGY, '--workers', String(WORKERS), ...Object.entries(args).flatMap(([key, value]) => ['--arg', `${key}=${value}`])]);
    if (submitted.code !== 0) throw new Error(`barista submit failed: ${submitted.stderr}`);
    const offsets = new CoordOffsetStore(client, OFFSETS_ROOT);
    const committed = () => Promise.all(Array.from({ length: PARTITIONS }, async (_, partition) => (await offsets.read(TOPIC, partition)) ?? 0));
    await until('counting under way', async () => (await committed()).some((offset) => offset > 0), SUBMITTED_TIMEOUT_MS, POLL_MS);

    target = lambdaTarget(client, stack);
    await target.settle();
    const plan = planFaults({ seed, durationMs, nodeCount: target.nodeNames.length, kinds: faultKinds(['kill', 'pause']) });
    const nemesis = await runNemesis(plan, target, { seed, durationMs, log });
    const copies = await poem.finish();

    const violations: string[] = nemesis.failure === undefined ? [] : [`nemesis: ${nemesis.failure}`];
    await target.settle().catch((error: unknown) => violations.push(`after the faults: ${String(error)}`));
    const ends = await stack.endOffsets();
    if (ends.reduce((sum, end) => sum + end, 0) !== copies * lines.length) violations.push(`the topic holds ${ends.join('+')} lines, not ${copies} copies × ${lines.length}`);
    let last: number[] = [];
    await until('the spout to commit the end of every partition', async () => (last = await committed()).every((offset, partition) => offset === ends[partition]), DRAIN_TIMEOUT_MS, POLL_MS).catch(() =>
      violations.push(`committed offsets ${JSON.stringify(last)} never reached the ends ${JSON.stringify(ends)} (a tuple tree lost for good)`),
    );
    const expected = new Map([...oracleWordCount(lines.join('\n'))].map(([word, count]) => [word, count * copies]));
    violations.push(...viewDifferences(await stack.viewValues(VIEW), expected));
    const outputs = violations.length === 0 ? undefined : services.map((service) => `--- ${service.name} (last lines)\n${service.output().split('\n').slice(-OUTPUT_LINES_SHOWN).join('\n')}`).join('\n');
    return {
      scenario: 'lambda-view',
      seed,
      // Every word occurrence is a delta the view had to apply exactly once.
      operationsChecked: [...expected.values()].reduce((sum, count) => sum + count, 0),
      faultsInjected: nemesis.records.length,
      violations,
      faultLog: nemesis.records.map((record) => faultLine(seed, record)),
      ...(outputs === undefined ? {} : { excerpt: outputs }),
    };
  } finally {
    target?.nodeNames.forEach((_, node) => target?.resume(node));
    await poem?.finish().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await client?.close();
    for (const service of services.reverse()) await service.stop();
    await stack.stop();
  }
}
