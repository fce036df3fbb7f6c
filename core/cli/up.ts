/**
 * `barista up --nodes N`: a whole cluster as child processes on this machine, for demos and
 * tests — a coord ensemble of N servers, N brokers, N serving nodes, nimbus and N supervisors
 * (the plan: up-plan.ts). Coord starts first, everything else once every coord server grants a
 * session. Ready means every service answers through its own protocol and has registered in coord
 * (up-readiness.ts); then one table of endpoints is printed. SIGINT/SIGTERM stop the services in
 * order (supervisors and nimbus, serving, brokers, coord last) and exit 0. A service that dies
 * during start-up is named with the tail of its log, the rest are stopped, and up exits 1.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join, relative } from 'node:path';
import { describeExit, ServiceProcess } from './up-child.js';
import { planCluster, plannedPorts, stopGroups, UP_HOST, type ClusterPlan, type PlannedService, type UpOptions } from './up-plan.js';
import { missingRegistrations, registrations, serviceAnswers } from './up-readiness.js';
import { PeerSecret } from '../net/peer-auth.js';

/** The whole start-up, coord election included, must finish within this. */
export const START_TIMEOUT_MS = 90_000;
/** Each service gets this long for its orderly shutdown before SIGKILL. */
export const STOP_GRACE_MS = 10_000;
const POLL_INTERVAL_MS = 200;
const EXIT_FAILED = 1;
const CLUSTER_FILE = 'cluster.json';
const ENDPOINTS_FILE = 'endpoints.json';

export type UpCommandOptions = Omit<UpOptions, 'logLevel'>;

/** Why start-up was abandoned; `report` is what the user reads (several lines for a crashed service). */
export class ClusterStartError extends Error {
  constructor(
    readonly code: 'PORT_IN_USE' | 'SERVICE_EXITED' | 'START_TIMEOUT' | 'DATA_DIR_MISMATCH',
    message: string,
    readonly details = '',
  ) {
    super(message);
    this.name = 'ClusterStartError';
  }
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, UP_HOST, () => server.close(() => resolve(true)));
  });
}

/** Checked before anything starts, so a taken port costs nothing to clean up. */
async function checkPortsFree(plan: ClusterPlan): Promise<void> {
  for (const { port, role } of plannedPorts(plan)) {
    if (!(await bindable(port))) throw new ClusterStartError('PORT_IN_USE', `port ${port} (${role}) is already in use on ${UP_HOST}: stop what holds it, or move the cluster with --base-port`);
  }
}

/** A data dir holds one cluster's Raft logs and replicas: reusing it with another size would not form a cluster. */
function claimDataDir(plan: ClusterPlan): void {
  mkdirSync(plan.dataDir, { recursive: true });
  const file = join(plan.dataDir, CLUSTER_FILE);
  if (existsSync(file)) {
    const recorded = (JSON.parse(readFileSync(file, 'utf8')) as { nodes?: number }).nodes;
    if (recorded !== plan.nodes) throw new ClusterStartError('DATA_DIR_MISMATCH', `${plan.dataDir} holds a ${recorded}-node cluster, not ${plan.nodes}: use --data-dir elsewhere, or remove it`);
    return;
  }
  writeFileSync(file, `${JSON.stringify({ nodes: plan.nodes }, null, 2)}\n`);
}

/** One secret per cluster, kept across restarts (members of one cluster must share it), readable by its owner only. */
function ensurePeerSecret(plan: ClusterPlan): void {
  if (existsSync(plan.peerSecretFile)) return;
  writeFileSync(plan.peerSecretFile, PeerSecret.generateText(), { mode: 0o600, flag: 'wx' });
}

class Launch {
  readonly processes: ServiceProcess[] = [];
  private abandoned: ((error: Error) => void) | undefined;
  /** Rejects when start-up must stop: a service died, or a signal came. */
  readonly failure = new Promise<never>((_, reject) => (this.abandoned = reject));
  ready = false;
  /** Set by the first signal or a failed start: exits from now on are expected. */
  stopping = false;

  constructor(readonly plan: ClusterPlan) {
    this.failure.catch(() => undefined);
  }

  start(services: readonly PlannedService[]): ServiceProcess[] {
    const started = services.map((service) => ServiceProcess.start(service));
    for (const child of started) {
      this.processes.push(child);
      void child.exited.then((exit) => {
        if (!this.ready) {
          const details = `last lines of ${displayPath(child.service.logFile)}:\n${child.logTail()}`;
          this.abandon(new ClusterStartError('SERVICE_EXITED', `${child.service.name} (pid ${child.pid}) ${describeExit(exit)} during start-up`, details));
        } else if (!this.stopping) process.stderr.write(`barista up: ${child.service.name} (pid ${child.pid}) ${describeExit(exit)}; see ${displayPath(child.service.logFile)}\n`);
      });
    }
    return started;
  }

  abandon(error: Error): void {
    this.abandoned?.(error);
  }

  /** Polls until `check` holds, giving up on the launch's failure or its deadline. */
  async until(deadlineMs: number, waitingFor: () => string, check: () => Promise<boolean>): Promise<void> {
    for (;;) {
      const done = await Promise.race([check().catch(() => false), this.failure]);
      if (done) return;
      if (Date.now() > deadlineMs) throw new ClusterStartError('START_TIMEOUT', `not ready after ${START_TIMEOUT_MS / 1_000} s, still waiting for ${waitingFor()}; logs in ${displayPath(join(this.plan.dataDir, 'logs'))}`);
      await Promise.race([new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS)), this.failure]);
    }
  }
}

function displayPath(path: string): string {
  const relativePath = relative(process.cwd(), path);
  return relativePath.startsWith('..') || relativePath === '' ? path : relativePath;
}

/** Probes each service until it answers; `pending` names those that do not yet, for the timeout message. */
async function waitForServices(launch: Launch, services: readonly PlannedService[], deadlineMs: number): Promise<void> {
  const pending = new Set(services.map((service) => service.name));
  await launch.until(deadlineMs, () => [...pending].join(', '), async () => {
    const answers = await Promise.all(services.filter((service) => pending.has(service.name)).map(async (service) => [service.name, await serviceAnswers(service, launch.plan).catch(() => false)] as const));
    for (const [name, answered] of answers) if (answered) pending.delete(name);
    return pending.size === 0;
  });
}

async function startCluster(launch: Launch): Promise<void> {
  const deadlineMs = Date.now() + START_TIMEOUT_MS;
  const coords = launch.plan.services.filter((service) => service.kind === 'coord');
  const others = launch.plan.services.filter((service) => service.kind !== 'coord');
  launch.start(coords);
  await waitForServices(launch, coords, deadlineMs);
  launch.start(others);
  await waitForServices(launch, others, deadlineMs);
  let missing = ['registrations'];
  await launch.until(deadlineMs, () => missing.join(', '), async () => {
    missing = missingRegistrations(await registrations(launch.plan.coordConnect), launch.plan);
    return missing.length === 0;
  });
}

/** Stops the services group by group (each group at once), coord last. */
async function stopCluster(launch: Launch): Promise<void> {
  for (const group of stopGroups(launch.plan)) {
    const names = new Set(group.map((service) => service.name));
    await Promise.all(launch.processes.filter((child) => names.has(child.service.name)).map((child) => child.stop(STOP_GRACE_MS)));
  }
}

export function formatTable(processes: readonly ServiceProcess[]): string {
  const rows = [['SERVICE', 'ID', 'ADDRESS', 'PID', 'LOG'], ...processes.map((child) => [child.service.kind, String(child.service.index), child.service.address, String(child.pid), displayPath(child.service.logFile)])];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ')).join('\n');
}

function writeEndpoints(launch: Launch): void {
  const { plan } = launch;
  const services = launch.processes.map((child) => ({ name: child.service.name, kind: child.service.kind, address: child.service.address, pid: child.pid, logFile: child.service.logFile }));
  const endpoints = { coord: plan.coordConnect, bootstrap: plan.bootstrap, serving: plan.services.filter((service) => service.kind === 'serve').map((service) => service.address), pid: process.pid, services };
  writeFileSync(join(plan.dataDir, ENDPOINTS_FILE), `${JSON.stringify(endpoints, null, 2)}\n`);
}

function printReady(launch: Launch, elapsedMs: number): void {
  const { plan } = launch;
  const lines = [
    formatTable(launch.processes),
    '',
    `coord      ${plan.coordConnect}`,
    `bootstrap  ${plan.bootstrap}   (replication factor ${plan.replicationFactor}, min.insync.replicas ${plan.minInsyncReplicas})`,
    `serving    N=${plan.serving.n} R=${plan.serving.r} W=${plan.serving.w}`,
    `barista up: ${plan.nodes} node${plan.nodes === 1 ? '' : 's'} ready in ${(elapsedMs / 1_000).toFixed(1)} s — Ctrl-C to stop`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Runs until a signal; never returns. Exit 0 after an orderly stop, 1 if start-up failed. */
export async function runUp(options: UpCommandOptions, logLevel: string): Promise<never> {
  const startedAtMs = Date.now();
  const launch = new Launch(planCluster({ ...options, logLevel }));
  const onSignal = (signal: NodeJS.Signals) => {
    if (launch.stopping) {
      // A second Ctrl-C: no more waiting for orderly shutdowns.
      for (const child of launch.processes) child.signal('SIGKILL');
      process.exit(EXIT_FAILED);
    }
    launch.stopping = true;
    process.stderr.write(`barista up: ${signal}: stopping supervisors and nimbus, serving, brokers, coord\n`);
    if (!launch.ready) launch.abandon(new Error(signal));
    else void stopCluster(launch).then(() => process.exit(0));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await checkPortsFree(launch.plan);
    claimDataDir(launch.plan);
    ensurePeerSecret(launch.plan);
    await startCluster(launch);
    launch.ready = true;
  } catch (error) {
    const interrupted = launch.stopping;
    launch.stopping = true;
    if (!interrupted) {
      process.stderr.write(`barista up: ${(error as Error).message}\n`);
      if (error instanceof ClusterStartError && error.details !== '') process.stderr.write(`${error.details}\n`);
    }
    await stopCluster(launch);
    process.exit(interrupted ? 0 : EXIT_FAILED);
  }
  writeEndpoints(launch);
  printReady(launch, Date.now() - startedAtMs);
  // Signal handlers alone do not keep a process alive; children may all exit yet up must wait for Ctrl-C.
  setInterval(() => undefined, 1 << 30);
  return new Promise<never>(() => undefined);
}
