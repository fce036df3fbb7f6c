/**
 * Scenario (c): three `barista serve` nodes (N=3, R=W=2) around one coord server (never faulted),
 * writers setting increasing sequence numbers on their own keys through every node, and the nemesis
 * killing, pausing, partitioning, slowing, tearing the data files of and skewing the wall clock of
 * nodes. After the last fault heals: every key converges on all three replicas (R=3 and R=2 reads
 * agree) on a value at least its latest acknowledged write and no higher than its latest attempted
 * one, within a bound. While the faults run, auditors read every key through every node with R=3
 * (a read that succeeds heard all three replicas) and check each answer is at least the key's write
 * acknowledged before the read began: a later write losing to an earlier one (a clock reordering
 * them) shows there, even when a still later write wins again before the final check.
 *
 * Each writer writes through one node, so a key's writes are all stamped by one node's hybrid
 * logical clock: a skew must not reorder them (the HLC never goes back, even when its wall clock
 * does). Writes to one key through nodes whose clocks disagree are ordered by the clocks, not by
 * real time — docs/serving.md, "Clocks"; test/faults/clock-skew.test.ts checks that bound.
 *
 * Each node's peers reach it through a proxy in front of its peer port (advertised in the ring) that
 * the nemesis cuts or slows. A partition cuts the links *into* the isolated side; its own calls out
 * still go through, since all peers dial one advertised port per node.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { BARISTA_BIN } from '../../support/barista.js';
import { startCoordEnsemble } from '../../support/coord.js';
import { freePort, waitForPort } from '../../support/ports.js';
import { startProcess, type ManagedProcess } from '../../support/processes.js';
import { TcpProxy } from '../../support/tcp-proxy.js';
import { FakeClock } from './fake-clock.js';
import { faultLine, planFaults, runNemesis, type FaultKind, type FaultTarget } from './nemesis.js';
import { faultKinds, pauseProcess, resumeProcess, settleWithin, sleep, type ScenarioResult } from './scenario.js';

const NODES = ['n1', 'n2', 'n3'];
export const SERVING_FAULT_KINDS: readonly FaultKind[] = ['kill', 'pause', 'partition', 'delay', 'torn-write', 'clock-skew'];
const WRITERS = 6;
const KEYS_PER_WRITER = 20;
const COORD_TICK_MS = 500;
/** A command to a paused node gives up after this (its outcome is then unknown). */
const COMMAND_TIMEOUT_MS = 3_000;
const SETTLE_TIMEOUT_MS = 30_000;
/** A restarted node refuses to start while its killed predecessor's coord session (6 s) lives: retry this long. */
const RESTART_TIMEOUT_MS = 20_000;
const RESTART_RETRY_MS = 500;
const PREDECESSOR_ALIVE = /registered in coord .* by a live session/;
/** After the faults, every key must converge on all replicas within this. */
const CONVERGE_TIMEOUT_MS = 60_000;
const CONVERGE_POLL_MS = 500;
/** A refused write (no connection yet) waits this long, or the loop would starve the timers. */
const REFUSED_WRITE_PAUSE_MS = 20;
/** Enough to show what went wrong without drowning the report. */
const MAX_AUDIT_VIOLATIONS = 20;
/** Bitcask data files of the replica's store (not Paxos state or hints): what a torn write tears. */
const DATA_FILE = /^\d{10}\.data$/;

interface ServingNode {
  readonly id: string;
  readonly respPort: number;
  readonly peerPort: number;
  readonly proxy: TcpProxy;
  /** The node's wall clock, when the scenario skews clocks (libfaketime is needed only then). */
  readonly clock?: FakeClock;
  process?: ManagedProcess;
}

/** Three serving nodes behind cuttable, slowable proxies (and fake clocks when asked), started and stopped by the caller. */
export class ServingCluster {
  private readonly clients: Redis[] = [];

  constructor(
    readonly nodes: readonly ServingNode[],
    private readonly workDir: string,
    private readonly coord: string,
  ) {}

  static async create(workDir: string, coord: string, skewable: boolean): Promise<ServingCluster> {
    const nodes: ServingNode[] = [];
    for (const id of NODES) {
      const peerPort = await freePort();
      const clock = skewable ? { clock: await FakeClock.create(workDir, id) } : {};
      nodes.push({ id, respPort: await freePort(), peerPort, proxy: await TcpProxy.start(peerPort), ...clock });
    }
    return new ServingCluster(nodes, workDir, coord);
  }

  dataDir(node: number): string {
    return join(this.workDir, this.nodes[node]!.id);
  }

  async start(node: number): Promise<void> {
    const { id, respPort, peerPort, proxy, clock } = this.nodes[node]!;
    const env = clock === undefined ? process.env : { ...process.env, ...clock.environment() };
    const args = [BARISTA_BIN, '--log-level', 'warn', 'serve', '--id', id, '--port', String(respPort), '--peer-port', String(peerPort), '--advertise-peer-port', String(proxy.port), '--data-dir', this.dataDir(node), '--coord', this.coord];
    const deadline = performance.now() + RESTART_TIMEOUT_MS;
    for (;;) {
      try {
        this.nodes[node]!.process = await startProcess({ name: `serve ${id}`, command: process.execPath, args, env, ready: () => waitForPort(respPort, 100).then(() => true, () => false) });
        return;
      } catch (error) {
        if (!(error instanceof Error && PREDECESSOR_ALIVE.test(error.message)) || performance.now() > deadline) throw error;
        await sleep(RESTART_RETRY_MS);
      }
    }
  }

  async kill(node: number): Promise<void> {
    await this.nodes[node]!.process?.kill9();
  }

  connect(node: number): Redis {
    const redis = new Redis({ port: this.nodes[node]!.respPort, maxRetriesPerRequest: 0, enableOfflineQueue: false, commandTimeout: COMMAND_TIMEOUT_MS });
    redis.on('error', () => undefined);
    this.clients.push(redis);
    return redis;
  }

  /** Every node up and taking a quorum write. */
  async whole(probes: readonly Redis[]): Promise<string | undefined> {
    const answers = await Promise.all(probes.map((probe, node) => (this.nodes[node]!.process?.running ? probe.set('nemesis-probe', String(node)).catch((error: Error) => error.message) : 'down')));
    const refusing = answers.flatMap((answer, node) => (answer === 'OK' ? [] : [`${NODES[node]}: ${answer}`]));
    return refusing.length === 0 ? undefined : `nodes not taking writes: ${refusing.join('; ')}`;
  }

  async stop(): Promise<void> {
    for (const client of this.clients) client.disconnect();
    await Promise.all(this.nodes.map((node) => node.process?.stop()));
    await Promise.all(this.nodes.map((node) => node.proxy.close()));
  }
}

function servingTarget(cluster: ServingCluster, probes: readonly Redis[]): FaultTarget {
  const nodes = cluster.nodes;
  return {
    nodeNames: NODES,
    kill: (node) => cluster.kill(node),
    restart: (node) => cluster.start(node),
    pause: (node) => pauseProcess(nodes[node]!.process),
    resume: (node) => resumeProcess(nodes[node]!.process),
    partition: (side) => side.forEach((node) => nodes[node]!.proxy.cut()),
    heal: () => nodes.forEach((node) => node.proxy.heal()),
    delay: (node, delayMs) => nodes[node]!.proxy.setDelay(delayMs),
    undelay: (node) => nodes[node]!.proxy.setDelay(0),
    skewClock: async (node, offsetMs) => {
      const clock = nodes[node]!.clock;
      if (clock === undefined) throw new RangeError('this serving cluster was started without fake clocks: plan clock-skew to get them');
      await clock.setOffset(offsetMs);
    },
    dataFiles: (node) => ({ directory: join(cluster.dataDir(node), 'data'), pattern: DATA_FILE }),
    settle: () => settleWithin(SETTLE_TIMEOUT_MS, () => cluster.whole(probes)),
  };
}

/** What the writers did to each key: the highest acknowledged and the highest attempted sequence number. */
interface KeyLedger {
  acked: Map<string, number>;
  attempted: Map<string, number>;
  /** Every acknowledged write: each is covered by its key's check (later values are higher). */
  ackedWrites: number;
}

/** What the auditors read while the faults ran: how many reads they checked, and what was wrong. */
interface AuditLog {
  reads: number;
  violations: string[];
}


async function writer(cluster: ServingCluster, w: number, ledger: KeyLedger, running: () => boolean): Promise<void> {
  const client = cluster.connect(w % NODES.length);
  for (let seq = 1; running(); seq += 1) {
    const key = `w${w}-k${seq % KEYS_PER_WRITER}`;
    ledger.attempted.set(key, seq);
    const ok = await client.set(key, String(seq)).then(
      () => true,
      () => false,
    );
    if (ok) {
      ledger.acked.set(key, seq);
      ledger.ackedWrites += 1;
    } else await sleep(REFUSED_WRITE_PAUSE_MS);
  }
}

/**
 * Reads the writers' keys in turn with R=3 through one node until told to stop; answers below the
 * write acknowledged before the read, or above any attempted, are violations. A failed read (a
 * node down or paused) proves nothing and is skipped.
 */
async function auditor(cluster: ServingCluster, node: number, ledger: KeyLedger, audit: AuditLog, running: () => boolean): Promise<void> {
  const client = cluster.connect(node);
  for (let turn = 0; running(); turn += 1) {
    const key = `w${turn % WRITERS}-k${Math.floor(turn / WRITERS) % KEYS_PER_WRITER}`;
    const acked = ledger.acked.get(key);
    if (acked === undefined) {
      await sleep(REFUSED_WRITE_PAUSE_MS);
      continue;
    }
    // The consistency is the connection's; sent with each read, so a reconnect cannot drop it.
    const replies = await client.pipeline().call('BARISTA.CONSISTENCY', 'R', '3').get(key).exec().catch(() => null);
    const [error, value] = replies?.[1] ?? [new Error('no reply')];
    if (error !== null) {
      await sleep(REFUSED_WRITE_PAUSE_MS);
      continue;
    }
    audit.reads += 1;
    const attempted = ledger.attempted.get(key)!;
    const seq = Number(value);
    if (!(seq >= acked && seq <= attempted) && audit.violations.length < MAX_AUDIT_VIOLATIONS) {
      audit.violations.push(`${key}: an R=3 read through ${NODES[node]} answered ${String(value)} after ${acked} was acknowledged (attempted up to ${attempted})`);
    }
  }
}

/** Keys whose replicas have not converged on a value between acknowledged and attempted, with why. */
async function unconverged(ledger: KeyLedger, quorum: Redis, everyone: Redis): Promise<Map<string, string>> {
  const lagging = new Map<string, string>();
  for (const [key, acked] of ledger.acked) {
    const [two, three] = await Promise.all([quorum.get(key).catch((error: Error) => error.message), everyone.get(key).catch((error: Error) => error.message)]);
    const value = Number(three);
    const attempted = ledger.attempted.get(key)!;
    if (two !== three || !(value >= acked && value <= attempted)) lagging.set(key, `R=2 read ${two}, R=3 read ${three}; acknowledged ${acked}, attempted up to ${attempted}`);
  }
  return lagging;
}

export async function servingScenario(seed: number, durationMs: number, log: (line: string) => void = () => undefined, kinds: readonly FaultKind[] = faultKinds(SERVING_FAULT_KINDS)): Promise<ScenarioResult> {
  const workDir = await mkdtemp(join(tmpdir(), 'barista-nemesis-serving-'));
  const coord = await startCoordEnsemble({ servers: 1, tickTimeMs: COORD_TICK_MS });
  const cluster = await ServingCluster.create(workDir, coord.connectString, kinds.includes('clock-skew'));
  try {
    for (let node = 0; node < NODES.length; node += 1) await cluster.start(node);
    const probes = NODES.map((_, node) => cluster.connect(node));
    const target = servingTarget(cluster, probes);
    await target.settle();

    const ledger: KeyLedger = { acked: new Map(), attempted: new Map(), ackedWrites: 0 };
    let running = true;
    const audit: AuditLog = { reads: 0, violations: [] };
    const writers = Array.from({ length: WRITERS }, (_, w) => writer(cluster, w, ledger, () => running));
    const auditors = NODES.map((_, node) => auditor(cluster, node, ledger, audit, () => running));
    const plan = planFaults({ seed, durationMs, nodeCount: NODES.length, kinds });
    const nemesis = await runNemesis(plan, target, { seed, durationMs, log });
    running = false;
    await Promise.all([...writers, ...auditors]);

    const violations: string[] = nemesis.failure === undefined ? [] : [`nemesis: ${nemesis.failure}`];
    violations.push(...audit.violations);
    await target.settle().catch((error: unknown) => violations.push(`after the faults: ${String(error)}`));
    const [quorum, everyone] = [cluster.connect(1), cluster.connect(2)];
    await settleWithin(SETTLE_TIMEOUT_MS, async () => (everyone.status === 'ready' && quorum.status === 'ready' ? undefined : 'checker clients not connected'));
    await everyone.call('BARISTA.CONSISTENCY', 'R', '3');
    const deadline = performance.now() + CONVERGE_TIMEOUT_MS;
    let lagging = await unconverged(ledger, quorum, everyone);
    while (lagging.size > 0 && performance.now() < deadline) {
      await sleep(CONVERGE_POLL_MS);
      lagging = await unconverged(ledger, quorum, everyone);
    }
    violations.push(...[...lagging].map(([key, why]) => `${key} did not converge within ${CONVERGE_TIMEOUT_MS} ms: ${why}`));
    return {
      scenario: 'serving',
      seed,
      operationsChecked: ledger.ackedWrites + audit.reads,
      faultsInjected: nemesis.records.length,
      violations,
      faultLog: nemesis.records.map((record) => faultLine(seed, record)),
    };
  } finally {
    await cluster.stop();
    await coord.stop();
    await rm(workDir, { recursive: true, force: true });
  }
}
