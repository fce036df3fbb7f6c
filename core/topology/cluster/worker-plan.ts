/**
 * A supervisor's pure decision: given every topology's assignment and the workers it runs now,
 * which workers to start, stop, restart (their assignment version changed: peers or tasks moved),
 * and which to tell to activate or deactivate their spouts. No I/O.
 */
import type { ClusterAssignment } from './layout.js';

export interface DesiredWorker {
  /** `<topology>/<workerId>`: unique on this supervisor. */
  readonly key: string;
  readonly topology: string;
  readonly workerId: string;
  readonly version: number;
  readonly active: boolean;
  readonly port: number;
}

export interface RunningWorkerState {
  readonly version: number;
  readonly active: boolean;
}

export interface WorkerPlan {
  readonly start: DesiredWorker[];
  readonly restart: DesiredWorker[];
  readonly stop: string[];
  readonly setActive: Array<{ key: string; active: boolean }>;
}

export const workerKey = (topology: string, workerId: string): string => `${topology}/${workerId}`;

/** The workers the assignments place on `supervisorId`. */
export function desiredWorkers(assignments: ReadonlyMap<string, ClusterAssignment>, supervisorId: string): Map<string, DesiredWorker> {
  const desired = new Map<string, DesiredWorker>();
  for (const [topology, assignment] of assignments) {
    for (const [workerId, placement] of Object.entries(assignment.placements)) {
      if (placement.supervisor !== supervisorId) continue;
      const key = workerKey(topology, workerId);
      desired.set(key, { key, topology, workerId, version: assignment.version, active: assignment.active, port: placement.port });
    }
  }
  return desired;
}

export function planWorkers(desired: ReadonlyMap<string, DesiredWorker>, running: ReadonlyMap<string, RunningWorkerState>): WorkerPlan {
  const plan: WorkerPlan = { start: [], restart: [], stop: [], setActive: [] };
  for (const key of running.keys()) if (!desired.has(key)) plan.stop.push(key);
  for (const [key, worker] of desired) {
    const current = running.get(key);
    if (current === undefined) plan.start.push(worker);
    else if (current.version !== worker.version) plan.restart.push(worker);
    else if (current.active !== worker.active) plan.setActive.push({ key, active: worker.active });
  }
  return plan;
}
