/**
 * Reads and writes of the cluster's coord records (layout.ts), shared by nimbus, supervisors and
 * the admin commands. Watches are passed in by the caller (one stable callback per reconcile
 * loop, so re-arming a watch on every pass never piles up callbacks).
 */
import type { CoordClient } from '../../coord/client/coord-client.js';
import type { WatchCallback } from '../../coord/client/client-watches.js';
import { retryIdempotent, isErrorCode } from '../../coord/recipes/waits.js';
import { ErrorCode } from '../../coord/zookeeper-constants.js';
import { InvalidClusterRecordError, UnknownTopologyError } from './errors.js';
import {
  assignmentPath, ASSIGNMENT_FIELDS, decodeRecord, encodeRecord, FAILURE_FIELDS, failurePath, failuresPath, moduleChunkPath, SUPERVISOR_FIELDS, supervisorPath, SUPERVISORS_PATH,
  TOPOLOGIES_PATH, TOPOLOGY_FIELDS, topologyPath, workersPath,
  type ClusterAssignment, type SupervisorRecord, type TopologyRecord, type WorkerFailureRecord,
} from './layout.js';
import type { LiveSupervisor } from './scheduling.js';

/** Conditional updates retry this often on a concurrent change before giving up. */
const MAX_UPDATE_ATTEMPTS = 10;

/** Children of `path`, [] when it does not exist (its creation then fires `watch`). */
export async function childrenOf(client: CoordClient, path: string, watch?: WatchCallback): Promise<string[]> {
  try {
    return (await retryIdempotent(() => client.getChildren(path, watch))).sort();
  } catch (error) {
    if (!isErrorCode(error, ErrorCode.NONODE)) throw error;
    if (watch !== undefined && (await retryIdempotent(() => client.exists(path, watch))) !== null) return childrenOf(client, path, watch);
    return [];
  }
}

/** The node's data, or null when it does not exist (with `watch`, armed either way). */
export async function dataOf(client: CoordClient, path: string, watch?: WatchCallback): Promise<{ data: Buffer; version: number } | null> {
  try {
    if (watch !== undefined && (await retryIdempotent(() => client.exists(path, watch))) === null) return null;
    const { data, stat } = await retryIdempotent(() => client.getData(path, watch));
    return { data, version: stat.version };
  } catch (error) {
    if (isErrorCode(error, ErrorCode.NONODE)) return null;
    throw error;
  }
}

export async function readTopology(client: CoordClient, name: string, watch?: WatchCallback): Promise<TopologyRecord | null> {
  const node = await dataOf(client, topologyPath(name), watch);
  return node === null ? null : decodeRecord<TopologyRecord>(topologyPath(name), node.data, TOPOLOGY_FIELDS);
}

export async function readAssignment(client: CoordClient, name: string, watch?: WatchCallback): Promise<ClusterAssignment | null> {
  const node = await dataOf(client, assignmentPath(name), watch);
  return node === null ? null : decodeRecord<ClusterAssignment>(assignmentPath(name), node.data, ASSIGNMENT_FIELDS);
}

export async function writeAssignment(client: CoordClient, name: string, assignment: ClusterAssignment): Promise<void> {
  try {
    await client.setData(assignmentPath(name), encodeRecord(assignment));
  } catch (error) {
    if (!isErrorCode(error, ErrorCode.NONODE)) throw error;
    await client.create(assignmentPath(name), encodeRecord(assignment));
  }
}

export async function liveSupervisors(client: CoordClient, watch?: WatchCallback): Promise<LiveSupervisor[]> {
  const supervisors: LiveSupervisor[] = [];
  for (const id of await childrenOf(client, SUPERVISORS_PATH, watch)) {
    const node = await dataOf(client, supervisorPath(id));
    if (node !== null) supervisors.push({ id, record: decodeRecord<SupervisorRecord>(supervisorPath(id), node.data, SUPERVISOR_FIELDS) });
  }
  return supervisors;
}

export async function readFailures(client: CoordClient, name: string, watch?: WatchCallback): Promise<Array<{ workerId: string; failure: WorkerFailureRecord }>> {
  const failures: Array<{ workerId: string; failure: WorkerFailureRecord }> = [];
  for (const workerId of await childrenOf(client, failuresPath(name), watch)) {
    const node = await dataOf(client, failurePath(name, workerId));
    if (node !== null) failures.push({ workerId, failure: decodeRecord<WorkerFailureRecord>(failurePath(name, workerId), node.data, FAILURE_FIELDS) });
  }
  return failures;
}

export async function runningWorkerIds(client: CoordClient, name: string, watch?: WatchCallback): Promise<string[]> {
  return childrenOf(client, workersPath(name), watch);
}

/** The module source, joined from its chunks. */
export async function readModule(client: CoordClient, record: TopologyRecord): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for (let index = 0; index < record.moduleChunks; index++) {
    const node = await dataOf(client, moduleChunkPath(record.name, index));
    if (node === null) throw new InvalidClusterRecordError(moduleChunkPath(record.name, index), 'module chunk missing');
    chunks.push(node.data);
  }
  return Buffer.concat(chunks);
}

/** Applies `change` to the topology record with a conditional write, retrying on concurrent changes. */
export async function updateTopology(client: CoordClient, name: string, change: (record: TopologyRecord) => TopologyRecord): Promise<TopologyRecord> {
  for (let attempt = 1; ; attempt++) {
    const node = await dataOf(client, topologyPath(name));
    if (node === null) throw new UnknownTopologyError(name);
    const updated = change(decodeRecord<TopologyRecord>(topologyPath(name), node.data, TOPOLOGY_FIELDS));
    try {
      await client.setData(topologyPath(name), encodeRecord(updated), node.version);
      return updated;
    } catch (error) {
      if (!isErrorCode(error, ErrorCode.BADVERSION) || attempt >= MAX_UPDATE_ATTEMPTS) throw error;
    }
  }
}

/** Deletes `path` and everything under it; absent nodes are fine. */
export async function deleteTree(client: CoordClient, path: string): Promise<void> {
  for (const child of await childrenOf(client, path)) await deleteTree(client, `${path}/${child}`);
  try {
    await client.delete(path);
  } catch (error) {
    if (isErrorCode(error, ErrorCode.NOTEMPTY)) return deleteTree(client, path);
    if (!isErrorCode(error, ErrorCode.NONODE)) throw error;
  }
}

export async function topologyNames(client: CoordClient, watch?: WatchCallback): Promise<string[]> {
  return childrenOf(client, TOPOLOGIES_PATH, watch);
}
