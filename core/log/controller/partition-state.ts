/**
 * What coord holds for the cluster's topics, in ZooKeeper-era Kafka's layout and JSON shapes:
 *   /brokers/topics/<topic>                         {"version":2,"partitions":{"0":[1,2,3],...}}
 *   /brokers/topics/<topic>/partitions/<p>/state    {"controller_epoch":c,"leader":l,"version":1,"leader_epoch":e,"isr":[...]}
 *   /controller                                     {"version":1,"brokerid":n,"timestamp":"ms"} (ephemeral)
 *   /controller_epoch                               "c"
 * Every partition state write is a conditional setData on the version last read, so two
 * writers (the controller electing, a leader shrinking its ISR) can never silently overwrite
 * each other: the loser re-reads and decides again.
 */
import { ClusterStateError } from './errors.js';

export const BROKERS_PATH = '/brokers';
export const TOPICS_PATH = '/brokers/topics';
export const CONTROLLER_PATH = '/controller';
export const CONTROLLER_EPOCH_PATH = '/controller_epoch';
/** Kafka's LeaderAndIsr.NoLeader. */
export const NO_LEADER = -1;

export function topicPath(topic: string): string {
  return `${TOPICS_PATH}/${topic}`;
}

export function partitionsPath(topic: string): string {
  return `${topicPath(topic)}/partitions`;
}

export function partitionStatePath(topic: string, partition: number): string {
  return `${partitionsPath(topic)}/${partition}/state`;
}

/** Replica broker ids per partition index; the first is the preferred leader. */
export type ReplicaAssignment = number[][];

export interface PartitionState {
  leader: number;
  leaderEpoch: number;
  isr: number[];
  controllerEpoch: number;
}

function parseJson(path: string, data: Buffer): unknown {
  try {
    return JSON.parse(data.toString('utf8'));
  } catch {
    throw new ClusterStateError(path, 'not JSON');
  }
}

function isIdList(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((id) => Number.isInteger(id));
}

export function encodeAssignment(assignment: ReplicaAssignment): string {
  return JSON.stringify({ version: 2, partitions: Object.fromEntries(assignment.map((replicas, p) => [String(p), replicas])) });
}

export function decodeAssignment(path: string, data: Buffer): ReplicaAssignment {
  const parsed = parseJson(path, data) as { partitions?: Record<string, unknown> };
  const entries = Object.entries(parsed.partitions ?? {});
  const assignment: ReplicaAssignment = [];
  for (const [key, replicas] of entries) {
    const index = Number(key);
    if (!Number.isInteger(index) || index < 0 || index >= entries.length || !isIdList(replicas) || replicas.length === 0) throw new ClusterStateError(path, `bad partition ${key}`);
    assignment[index] = replicas;
  }
  if (assignment.length !== entries.length || assignment.length === 0) throw new ClusterStateError(path, 'partitions not numbered 0..n-1');
  return assignment;
}

export function encodePartitionState(state: PartitionState): string {
  return JSON.stringify({ controller_epoch: state.controllerEpoch, leader: state.leader, version: 1, leader_epoch: state.leaderEpoch, isr: state.isr });
}

export function decodePartitionState(path: string, data: Buffer): PartitionState {
  const parsed = parseJson(path, data) as Record<string, unknown>;
  const { leader, leader_epoch: leaderEpoch, isr, controller_epoch: controllerEpoch } = parsed;
  if (!Number.isInteger(leader) || !Number.isInteger(leaderEpoch) || !isIdList(isr) || !Number.isInteger(controllerEpoch)) throw new ClusterStateError(path, 'missing leader, leader_epoch, isr or controller_epoch');
  return { leader: leader as number, leaderEpoch: leaderEpoch as number, isr, controllerEpoch: controllerEpoch as number };
}

export function samePartitionState(a: PartitionState, b: PartitionState): boolean {
  return a.leader === b.leader && a.leaderEpoch === b.leaderEpoch && a.controllerEpoch === b.controllerEpoch && a.isr.length === b.isr.length && a.isr.every((id, i) => id === b.isr[i]);
}
