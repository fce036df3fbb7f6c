/**
 * Rack-unaware replica assignment, Kafka's round robin: partition p's first replica is broker
 * (start + p) mod n; its followers sit at growing shifts from it, the shift moving on after
 * every n partitions, so leaders and followers both spread evenly and no two replicas of one
 * partition share a broker. `start` and `shift` are random in Kafka (so topics do not all lead
 * on the first broker); callers pass them to make the result reproducible.
 */
import { ReplicationFactorError } from './errors.js';
import type { ReplicaAssignment } from './partition-state.js';

export interface AssignmentChoice {
  start: number;
  shift: number;
}

export function randomAssignmentChoice(brokerCount: number, random: () => number = Math.random): AssignmentChoice {
  return { start: Math.floor(random() * brokerCount), shift: Math.floor(random() * brokerCount) };
}

export function assignReplicas(brokerIds: readonly number[], partitions: number, replicationFactor: number, choice: AssignmentChoice): ReplicaAssignment {
  const brokers = [...brokerIds].sort((a, b) => a - b);
  const n = brokers.length;
  if (replicationFactor < 1 || replicationFactor > n) throw new ReplicationFactorError(replicationFactor, n);
  const assignment: ReplicaAssignment = [];
  let shift = choice.shift;
  for (let p = 0; p < partitions; p++) {
    if (p > 0 && p % n === 0) shift++;
    const first = (p + choice.start) % n;
    const replicas = [brokers[first]!];
    for (let j = 0; j < replicationFactor - 1; j++) replicas.push(brokers[(first + 1 + ((shift + j) % (n - 1))) % n]!);
    assignment.push(replicas);
  }
  return assignment;
}
