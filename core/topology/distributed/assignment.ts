/**
 * Which worker runs which task, and where workers listen: what nimbus computes and writes to
 * coord, and what each worker reads. `evenAssignment` is Storm's even scheduler: tasks dealt
 * round-robin over the workers in task-id order (components in id order, ackers last), so every
 * worker gets a share of every component.
 */
import type { TopologyDefinition } from '../builder/topology-definition.js';
import { InvalidAssignmentError } from './errors.js';

export interface WorkerAddress {
  readonly host: string;
  readonly port: number;
}

export interface Assignment {
  /** Worker id → where it listens for transfers. */
  readonly workers: Readonly<Record<string, WorkerAddress>>;
  /** Task id (as a string key) → worker id. */
  readonly tasks: Readonly<Record<string, string>>;
}

/** Every task id a topology runs: its components' tasks and its acker tasks. */
export function allTaskIds(topology: TopologyDefinition, ackerTaskIds: readonly number[]): number[] {
  return [...topology.components.flatMap((component) => component.taskIds), ...ackerTaskIds];
}

export function evenAssignment(topology: TopologyDefinition, ackerTaskIds: readonly number[], workers: Readonly<Record<string, WorkerAddress>>): Assignment {
  const workerIds = Object.keys(workers).sort();
  if (workerIds.length === 0) throw new InvalidAssignmentError('no workers to assign tasks to');
  const tasks: Record<string, string> = {};
  allTaskIds(topology, ackerTaskIds).forEach((taskId, index) => {
    tasks[String(taskId)] = workerIds[index % workerIds.length] as string;
  });
  return { workers, tasks };
}

/** Throws unless every task of the topology is assigned to a worker with an address. */
export function checkAssignment(topology: TopologyDefinition, ackerTaskIds: readonly number[], assignment: Assignment): void {
  for (const taskId of allTaskIds(topology, ackerTaskIds)) {
    const worker = assignment.tasks[String(taskId)];
    if (worker === undefined) throw new InvalidAssignmentError(`task ${taskId} is assigned to no worker`);
    const address = assignment.workers[worker];
    if (address === undefined || typeof address.host !== 'string' || !Number.isInteger(address.port)) throw new InvalidAssignmentError(`task ${taskId} is assigned to worker '${worker}', which has no address`);
  }
}

/** Task ids assigned to `workerId`. */
export function tasksOf(assignment: Assignment, workerId: string): Set<number> {
  return new Set(Object.entries(assignment.tasks).filter(([, worker]) => worker === workerId).map(([taskId]) => Number(taskId)));
}
