/**
 * Nimbus's pure decisions: which supervisor slots a topology's workers take, whether an existing
 * assignment still holds, and the assignment itself (Storm's even scheduler over those workers).
 * No I/O: nimbus reads coord, calls these, and writes what they return.
 *
 * Slot choice keeps every worker where it is while its slot is still offered by a live supervisor
 * (moving a worker restarts it), and spreads new workers over supervisors, the one with the most
 * free slots first, so one supervisor's death takes as few workers of a topology as possible.
 */
import type { TopologyDefinition } from '../builder/topology-definition.js';
import { evenAssignment, type WorkerAddress } from '../distributed/assignment.js';
import { NotEnoughSlotsError } from './errors.js';
import type { ClusterAssignment, SupervisorRecord, WorkerPlacement } from './layout.js';

export interface LiveSupervisor {
  readonly id: string;
  readonly record: SupervisorRecord;
}

export const slotKey = (supervisor: string, port: number): string => `${supervisor}:${port}`;

/** Worker ids of a topology with `count` workers: w1 … wK. */
export function workerIdsFor(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `w${index + 1}`);
}

/** Slots held by the given assignments. */
export function slotsInUse(assignments: Iterable<ClusterAssignment>): Set<string> {
  const used = new Set<string>();
  for (const assignment of assignments) {
    for (const placement of Object.values(assignment.placements)) used.add(slotKey(placement.supervisor, placement.port));
  }
  return used;
}

function offered(supervisors: readonly LiveSupervisor[], placement: WorkerPlacement): boolean {
  const supervisor = supervisors.find((candidate) => candidate.id === placement.supervisor);
  return supervisor !== undefined && supervisor.record.host === placement.host && supervisor.record.slots.includes(placement.port);
}

export interface PlacementInput {
  readonly count: number;
  /** The topology's current placements (kept where still valid). */
  readonly previous?: Readonly<Record<string, WorkerPlacement>>;
  readonly supervisors: readonly LiveSupervisor[];
  /** Slots other topologies hold. */
  readonly inUse: ReadonlySet<string>;
  /** Slots not to use (a worker failed to start there). */
  readonly avoid?: ReadonlySet<string>;
}

/** Worker id → slot for `count` workers; throws NotEnoughSlotsError when the live supervisors lack room. */
export function placeWorkers(input: PlacementInput): Record<string, WorkerPlacement> {
  const avoid = input.avoid ?? new Set<string>();
  const taken = new Set(input.inUse);
  const placements: Record<string, WorkerPlacement> = {};
  const homeless: string[] = [];
  for (const workerId of workerIdsFor(input.count)) {
    const previous = input.previous?.[workerId];
    const key = previous && slotKey(previous.supervisor, previous.port);
    if (previous !== undefined && key !== undefined && offered(input.supervisors, previous) && !avoid.has(key) && !taken.has(key)) {
      placements[workerId] = previous;
      taken.add(key);
    } else homeless.push(workerId);
  }
  const free = new Map<string, WorkerPlacement[]>();
  for (const supervisor of [...input.supervisors].sort((a, b) => a.id.localeCompare(b.id))) {
    const slots = supervisor.record.slots.filter((port) => !taken.has(slotKey(supervisor.id, port)) && !avoid.has(slotKey(supervisor.id, port)));
    free.set(supervisor.id, slots.map((port) => ({ supervisor: supervisor.id, host: supervisor.record.host, port })));
  }
  const freeCount = [...free.values()].reduce((sum, slots) => sum + slots.length, 0);
  if (freeCount < homeless.length) throw new NotEnoughSlotsError(homeless.length, freeCount);
  const countOn = (supervisor: string) => Object.values(placements).filter((placement) => placement.supervisor === supervisor).length;
  for (const workerId of homeless) {
    // Fewest of this topology's workers first, then most free slots, then id: spread, deterministically.
    const [, slots] = [...free].filter(([, candidates]) => candidates.length > 0).sort(([a, slotsA], [b, slotsB]) => countOn(a) - countOn(b) || slotsB.length - slotsA.length || a.localeCompare(b))[0]!;
    placements[workerId] = slots.shift()!;
  }
  return placements;
}

/** Whether `assignment` still fits: the wanted worker count, each worker on a slot a live supervisor offers. */
export function assignmentHolds(assignment: ClusterAssignment, workerCount: number, supervisors: readonly LiveSupervisor[]): boolean {
  const placements = Object.entries(assignment.placements);
  if (placements.length !== workerCount) return false;
  const wanted = new Set(workerIdsFor(workerCount));
  return placements.every(([workerId, placement]) => wanted.has(workerId) && offered(supervisors, placement));
}

/** The even assignment of the topology's tasks over the placed workers. */
export function buildClusterAssignment(
  topology: TopologyDefinition,
  ackerTaskIds: readonly number[],
  placements: Readonly<Record<string, WorkerPlacement>>,
  options: { version: number; active: boolean; nowMs: number },
): ClusterAssignment {
  const workers: Record<string, WorkerAddress> = {};
  for (const [workerId, placement] of Object.entries(placements)) workers[workerId] = { host: placement.host, port: placement.port };
  const assignment = evenAssignment(topology, ackerTaskIds, workers);
  return { ...assignment, version: options.version, active: options.active, placements, assignedAtMs: options.nowMs };
}
