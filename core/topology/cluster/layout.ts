/**
 * Where the cluster's state lives in coord, and the JSON records stored there. Everything nimbus
 * knows is here (nothing in its memory matters), so a restarted or newly elected nimbus resumes
 * where the last one stopped, and running workers never notice.
 *
 *   /barista/nimbus/election/n_…                 nimbus candidates (leader election; lowest leads)
 *   /barista/supervisors/<id>                    ephemeral: SupervisorRecord (host, slot ports)
 *   /barista/topologies/<name>                   TopologyRecord (status, args, worker count, error)
 *   /barista/topologies/<name>/module/<nnnn>     the module's source, in chunks
 *   /barista/topologies/<name>/assignment        ClusterAssignment (written by nimbus only)
 *   /barista/topologies/<name>/workers/<id>      ephemeral, by the supervisor: a running worker
 *   /barista/topologies/<name>/failures/<id>     a supervisor's report of a worker that cannot start
 */
import type { Assignment } from '../distributed/assignment.js';
import { InvalidClusterRecordError } from './errors.js';

export const CLUSTER_ROOT = '/barista';
export const NIMBUS_ELECTION_PATH = `${CLUSTER_ROOT}/nimbus/election`;
export const SUPERVISORS_PATH = `${CLUSTER_ROOT}/supervisors`;
export const TOPOLOGIES_PATH = `${CLUSTER_ROOT}/topologies`;

export const topologyPath = (name: string): string => `${TOPOLOGIES_PATH}/${name}`;
export const modulePath = (name: string): string => `${topologyPath(name)}/module`;
export const moduleChunkPath = (name: string, index: number): string => `${modulePath(name)}/${String(index).padStart(4, '0')}`;
export const assignmentPath = (name: string): string => `${topologyPath(name)}/assignment`;
export const workersPath = (name: string): string => `${topologyPath(name)}/workers`;
export const workerPath = (name: string, workerId: string): string => `${workersPath(name)}/${workerId}`;
export const failuresPath = (name: string): string => `${topologyPath(name)}/failures`;
export const failurePath = (name: string, workerId: string): string => `${failuresPath(name)}/${workerId}`;
export const supervisorPath = (id: string): string => `${SUPERVISORS_PATH}/${id}`;

/**
 * submitted: uploaded, nimbus has not validated it yet; active / inactive: running (spouts on or
 * paused); rejected: the module failed to load or build (error says why); killed: being removed.
 */
export type TopologyStatus = 'submitted' | 'active' | 'inactive' | 'rejected' | 'killed';

export interface TopologyRecord {
  readonly name: string;
  readonly status: TopologyStatus;
  readonly workers: number;
  readonly args: Readonly<Record<string, string>>;
  readonly moduleChunks: number;
  readonly moduleSha256: string;
  readonly submittedAtMs: number;
  /** Set when it became active first (uptime counts from here). */
  readonly startedAtMs?: number;
  /** Whether to start active once validated (`submit --inactive` sets false). */
  readonly startActive?: boolean;
  readonly error?: string;
  /** When `kill` asked for removal. */
  readonly killedAtMs?: number;
}

export interface SupervisorRecord {
  readonly host: string;
  /** Ports of its worker slots. */
  readonly slots: readonly number[];
  readonly pid: number;
}

export interface WorkerPlacement {
  readonly supervisor: string;
  readonly host: string;
  readonly port: number;
}

/** The distributed Assignment plus where each worker runs and whether spouts run. */
export interface ClusterAssignment extends Assignment {
  /** Bumped whenever workers or tasks move: supervisors restart the workers of a new version. */
  readonly version: number;
  readonly active: boolean;
  /** Worker id → the supervisor slot it runs in. */
  readonly placements: Readonly<Record<string, WorkerPlacement>>;
  readonly assignedAtMs: number;
}

/** A running worker, as its supervisor registers it once the worker is ready. */
export interface WorkerRecord {
  readonly supervisor: string;
  readonly pid: number;
  readonly version: number;
  readonly startedAtMs: number;
}

/** A supervisor's report of a worker that keeps failing to start. */
export interface WorkerFailureRecord {
  readonly supervisor: string;
  readonly port: number;
  readonly version: number;
  readonly error: string;
}

export function encodeRecord(record: object): Buffer {
  return Buffer.from(JSON.stringify(record));
}

/** Parses a node's JSON, checking the fields every reader relies on. */
export function decodeRecord<T>(path: string, data: Buffer, required: readonly (keyof T & string)[]): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data.toString('utf8'));
  } catch (error) {
    throw new InvalidClusterRecordError(path, `not JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null) throw new InvalidClusterRecordError(path, 'not a JSON object');
  for (const field of required) {
    if (!(field in parsed)) throw new InvalidClusterRecordError(path, `has no field '${field}'`);
  }
  return parsed as T;
}

export const TOPOLOGY_FIELDS = ['name', 'status', 'workers', 'args', 'moduleChunks', 'moduleSha256', 'submittedAtMs'] as const;
export const ASSIGNMENT_FIELDS = ['version', 'active', 'placements', 'workers', 'tasks', 'assignedAtMs'] as const;
export const SUPERVISOR_FIELDS = ['host', 'slots', 'pid'] as const;
export const WORKER_FIELDS = ['supervisor', 'pid', 'version', 'startedAtMs'] as const;
export const FAILURE_FIELDS = ['supervisor', 'port', 'version', 'error'] as const;

/** Names that make one path segment and a file name. */
export const TOPOLOGY_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
