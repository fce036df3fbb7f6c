/**
 * A topology cluster of real processes for tests: `barista nimbus` and `barista supervisor`s
 * against a coord ensemble, each awaited until it prints that it is ready, and readers of what
 * the cluster keeps in coord (worker records, pids) to aim faults and time their repair.
 */
import { join } from 'node:path';
import type { CoordClient } from '../../core/coord/client/coord-client.js';
import { dataOf, readAssignment } from '../../core/topology/cluster/cluster-store.js';
import { decodeRecord, workerPath, WORKER_FIELDS, type ClusterAssignment, type WorkerRecord } from '../../core/topology/cluster/layout.js';
import { BARISTA_BIN } from './barista.js';
import { freePort } from './ports.js';
import { startProcess, type ManagedProcess } from './processes.js';
import { until } from './until.js';

/** A cluster service is up once it logs a line with " ready" (nimbus, supervisor). */
const SERVICE_READY_TIMEOUT_MS = 20_000;

/** Starts `barista <args>` and waits for its ready line. */
export async function startBaristaService(name: string, args: readonly string[], logLevel = 'warn'): Promise<ManagedProcess> {
  const started = await startProcess({ name, command: process.execPath, args: [BARISTA_BIN, '--log-level', logLevel, ...args], ready: () => Promise.resolve(true) });
  await until(`${name} ready`, () => {
    if (!started.running) throw new Error(`${name} exited during start-up; its output:\n${started.output()}`);
    return started.output().includes(' ready');
  }, SERVICE_READY_TIMEOUT_MS);
  return started;
}

export interface NimbusOptions {
  readonly coord: string;
  readonly dataDir: string;
  readonly sessionTimeoutMs?: number;
}

export function startNimbus(name: string, options: NimbusOptions): Promise<ManagedProcess> {
  const timeout = options.sessionTimeoutMs === undefined ? [] : ['--coord-session-timeout', String(options.sessionTimeoutMs)];
  return startBaristaService(name, ['nimbus', '--coord', options.coord, '--data-dir', join(options.dataDir, name), ...timeout]);
}

export interface SupervisorOptions extends NimbusOptions {
  /** Worker slots (each on a free port). */
  readonly slots: number;
}

export async function startSupervisor(id: string, options: SupervisorOptions): Promise<ManagedProcess> {
  const ports = await Promise.all(Array.from({ length: options.slots }, freePort));
  const timeout = options.sessionTimeoutMs === undefined ? [] : ['--coord-session-timeout', String(options.sessionTimeoutMs)];
  return startBaristaService(id, ['supervisor', '--coord', options.coord, '--id', id, '--slot-ports', ports.join(','), '--data-dir', join(options.dataDir, id), ...timeout]);
}

/** The record a supervisor keeps in coord for a running worker, or null when none runs. */
export async function workerRecord(client: CoordClient, topology: string, workerId: string): Promise<WorkerRecord | null> {
  const node = await dataOf(client, workerPath(topology, workerId));
  return node === null ? null : decodeRecord<WorkerRecord>(workerPath(topology, workerId), node.data, WORKER_FIELDS);
}

/**
 * Whether every worker of the topology's current assignment runs on a supervisor in `allowed`,
 * registered under that assignment's version (so: started after the assignment was written).
 */
export async function allWorkersRunningOn(client: CoordClient, topology: string, allowed: ReadonlySet<string>, newerThan: number): Promise<ClusterAssignment | undefined> {
  const assignment = await readAssignment(client, topology);
  if (assignment === null || assignment.version <= newerThan) return undefined;
  const placements = Object.entries(assignment.placements);
  if (!placements.every(([, placement]) => allowed.has(placement.supervisor))) return undefined;
  const records = await Promise.all(placements.map(([workerId]) => workerRecord(client, topology, workerId)));
  return records.every((record, index) => record !== null && record.supervisor === placements[index]![1].supervisor && record.version === assignment.version) ? assignment : undefined;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
