/**
 * What `barista submit`, `list`, `kill`, `activate`, `deactivate` and `rebalance` do, over coord.
 * Commands only write a topology's record; nimbus (the elected leader) acts on it. Submit and
 * kill wait for nimbus's answer: submit for the verdict on the module (a rejection carries the
 * module's error), kill for the topology's nodes to be gone.
 */
import { filter, firstValueFrom, map, timeout } from 'rxjs';
import type { CoordClient } from '../../coord/client/coord-client.js';
import { isErrorCode } from '../../coord/recipes/waits.js';
import { ErrorCode } from '../../coord/zookeeper-constants.js';
import { deleteTree, readAssignment, readTopology, runningWorkerIds, topologyNames, updateTopology } from './cluster-store.js';
import { InvalidClusterOptionError, ModuleTooLargeError, NimbusTimeoutError, SubmissionRejectedError, TopologyExistsError, UnknownTopologyError } from './errors.js';
import {
  assignmentPath, ASSIGNMENT_FIELDS, decodeRecord, encodeRecord, failuresPath, moduleChunkPath, modulePath, TOPOLOGIES_PATH, TOPOLOGY_FIELDS, TOPOLOGY_NAME_PATTERN, topologyPath, workersPath,
  type ClusterAssignment, type TopologyRecord, type TopologyStatus,
} from './layout.js';
import { KILL_TIMEOUT_MS, MAX_MODULE_BYTES, MAX_WORKERS_PER_TOPOLOGY, SUBMIT_TIMEOUT_MS } from './limits.js';
import { chunksOf, sha256Of } from './module-source.js';

export interface SubmitRequest {
  /** The module as uploaded: a bundle from ./module-bundle.ts. */
  readonly module: Buffer;
  /** Where the module came from, for errors. */
  readonly modulePath: string;
  readonly name: string;
  readonly workers: number;
  readonly args: Readonly<Record<string, string>>;
  readonly inactive?: boolean;
  readonly timeoutMs?: number;
}

export interface TopologySummary {
  readonly name: string;
  readonly status: TopologyStatus;
  readonly workersRunning: number;
  readonly workersWanted: number;
  readonly uptimeMs: number | undefined;
  readonly assignmentVersion: number | undefined;
  readonly error: string | undefined;
}

function checkWorkers(workers: number): void {
  if (!Number.isInteger(workers) || workers < 1 || workers > MAX_WORKERS_PER_TOPOLOGY) throw new InvalidClusterOptionError('--workers', `must be 1..${MAX_WORKERS_PER_TOPOLOGY}, got ${workers}`);
}

/** The record of `name` every time it changes, until it is deleted (null) — first value now. */
function watchRecord(client: CoordClient, name: string) {
  return client.observeData(topologyPath(name)).pipe(map((node) => (node === null ? null : decodeRecord<TopologyRecord>(topologyPath(name), node.data, TOPOLOGY_FIELDS))));
}

/** Uploads the module and waits for nimbus to accept it; throws SubmissionRejectedError with the module's error otherwise. */
export async function submitTopology(client: CoordClient, request: SubmitRequest): Promise<TopologyRecord> {
  if (!TOPOLOGY_NAME_PATTERN.test(request.name)) throw new InvalidClusterOptionError('--name', `'${request.name}' must match ${TOPOLOGY_NAME_PATTERN}`);
  checkWorkers(request.workers);
  const source = request.module;
  if (source.length > MAX_MODULE_BYTES) throw new ModuleTooLargeError(request.modulePath, source.length, MAX_MODULE_BYTES);
  const chunks = chunksOf(source);
  const record: TopologyRecord = { name: request.name, status: 'submitted', workers: request.workers, args: request.args, moduleChunks: chunks.length, moduleSha256: sha256Of(source), submittedAtMs: Date.now(), startActive: request.inactive !== true };
  await client.mkdirp(TOPOLOGIES_PATH);
  try {
    await client.multi([
      { op: 'create', path: topologyPath(request.name), data: encodeRecord(record) },
      { op: 'create', path: modulePath(request.name) },
      ...chunks.map((chunk, index) => ({ op: 'create' as const, path: moduleChunkPath(request.name, index), data: chunk })),
      { op: 'create', path: workersPath(request.name) },
      { op: 'create', path: failuresPath(request.name) },
    ]);
  } catch (error) {
    if (isErrorCode(error, ErrorCode.NODEEXISTS)) throw new TopologyExistsError(request.name);
    throw error;
  }
  const timeoutMs = request.timeoutMs ?? SUBMIT_TIMEOUT_MS;
  let verdict: TopologyRecord | null;
  try {
    verdict = await firstValueFrom(watchRecord(client, request.name).pipe(filter((current) => current?.status !== 'submitted'), timeout(timeoutMs)));
  } catch (error) {
    // Nobody answered: withdraw it, so a nimbus started later does not run what we reported as failed.
    await deleteTree(client, topologyPath(request.name));
    if ((error as Error).name === 'TimeoutError') throw new NimbusTimeoutError('validated the submission', timeoutMs);
    throw error;
  }
  if (verdict === null) throw new SubmissionRejectedError(request.name, 'it was removed while being validated');
  if (verdict.status === 'rejected') {
    await deleteTree(client, topologyPath(request.name));
    throw new SubmissionRejectedError(request.name, verdict.error ?? 'no reason given');
  }
  return verdict;
}

export async function listTopologies(client: CoordClient, nowMs = Date.now()): Promise<TopologySummary[]> {
  const summaries: TopologySummary[] = [];
  for (const name of await topologyNames(client)) {
    const record = await readTopology(client, name);
    if (record === null) continue;
    const assignment = await readAssignment(client, name);
    summaries.push({
      name,
      status: record.status,
      workersRunning: (await runningWorkerIds(client, name)).length,
      workersWanted: record.workers,
      uptimeMs: record.startedAtMs === undefined ? undefined : nowMs - record.startedAtMs,
      assignmentVersion: assignment?.version,
      error: record.error,
    });
  }
  return summaries;
}

/** Marks it killed and waits until nimbus has stopped its workers and removed it. */
export async function killTopology(client: CoordClient, name: string, timeoutMs = KILL_TIMEOUT_MS): Promise<void> {
  await updateTopology(client, name, (record) => ({ ...record, status: 'killed', killedAtMs: Date.now() }));
  try {
    await firstValueFrom(watchRecord(client, name).pipe(filter((record) => record === null), timeout(timeoutMs)));
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') throw new NimbusTimeoutError(`removed topology '${name}'`, timeoutMs);
    throw error;
  }
}

/** Resumes (true) or pauses (false) its spouts; waits for nimbus to pass it on in the assignment. */
export async function setTopologyActive(client: CoordClient, name: string, active: boolean, timeoutMs = SUBMIT_TIMEOUT_MS): Promise<void> {
  await updateTopology(client, name, (record) => {
    if (record.status !== 'active' && record.status !== 'inactive') throw new InvalidClusterOptionError(name, `is ${record.status}: only an active or inactive topology can be ${active ? 'activated' : 'deactivated'}`);
    return { ...record, status: active ? 'active' : 'inactive' };
  });
  await awaitAssignment(client, name, (assignment) => assignment.active === active, timeoutMs);
}

/** Asks for `workers` workers; resolves once nimbus has written an assignment with that many. */
export async function rebalanceTopology(client: CoordClient, name: string, workers: number, timeoutMs = SUBMIT_TIMEOUT_MS): Promise<number> {
  checkWorkers(workers);
  await updateTopology(client, name, (record) => ({ ...record, workers }));
  const assignment = await awaitAssignment(client, name, (current) => Object.keys(current.placements).length === workers, timeoutMs);
  return assignment.version;
}

/** The first assignment of `name` (now or after a change) that `holds`. */
async function awaitAssignment(client: CoordClient, name: string, holds: (assignment: ClusterAssignment) => boolean, timeoutMs: number): Promise<ClusterAssignment> {
  if ((await readTopology(client, name)) === null) throw new UnknownTopologyError(name);
  try {
    return await firstValueFrom(
      client.observeData(assignmentPath(name)).pipe(
        map((node) => (node === null ? null : decodeRecord<ClusterAssignment>(assignmentPath(name), node.data, ASSIGNMENT_FIELDS))),
        filter((assignment): assignment is ClusterAssignment => assignment !== null && holds(assignment)),
        timeout(timeoutMs),
      ),
    );
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') throw new NimbusTimeoutError(`updated the assignment of '${name}'`, timeoutMs);
    throw error;
  }
}
