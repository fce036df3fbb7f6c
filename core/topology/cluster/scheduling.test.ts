import { describe, expect, it } from '@jest/globals';
import { TopologyBuilder } from '../builder/topology-builder.js';
import { GeneratorSpout } from '../../../spouts/generator-spout.js';
import { SplitSentenceBolt } from '../../../bolts/split-sentence-bolt.js';
import { NotEnoughSlotsError } from './errors.js';
import type { WorkerPlacement } from './layout.js';
import { assignmentHolds, buildClusterAssignment, placeWorkers, slotsInUse, type LiveSupervisor } from './scheduling.js';

const supervisor = (id: string, slots: number[]): LiveSupervisor => ({ id, record: { host: '127.0.0.1', slots, pid: 1 } });
const bySupervisor = (placements: Record<string, WorkerPlacement>) => Object.values(placements).map((placement) => placement.supervisor).sort();

describe('worker placement', () => {
  it('spreads new workers over supervisors', () => {
    const placements = placeWorkers({ count: 4, supervisors: [supervisor('a', [1, 2, 3]), supervisor('b', [4, 5, 6])], inUse: new Set() });
    expect(bySupervisor(placements)).toEqual(['a', 'a', 'b', 'b']);
    expect(Object.keys(placements).sort()).toEqual(['w1', 'w2', 'w3', 'w4']);
  });

  it('keeps workers whose slot is still offered and moves only those of a dead supervisor', () => {
    const before = placeWorkers({ count: 2, supervisors: [supervisor('a', [1, 2]), supervisor('b', [3, 4])], inUse: new Set() });
    const survivor = Object.entries(before).find(([, placement]) => placement.supervisor === 'a')!;
    const after = placeWorkers({ count: 2, previous: before, supervisors: [supervisor('a', [1, 2])], inUse: new Set() });
    expect(after[survivor[0]]).toEqual(survivor[1]);
    expect(bySupervisor(after)).toEqual(['a', 'a']);
    expect(new Set(Object.values(after).map((placement) => placement.port)).size).toBe(2);
  });

  it('does not take slots other topologies hold, nor avoided ones', () => {
    const placements = placeWorkers({ count: 1, supervisors: [supervisor('a', [1, 2, 3])], inUse: new Set(['a:1']), avoid: new Set(['a:2']) });
    expect(placements.w1).toEqual({ supervisor: 'a', host: '127.0.0.1', port: 3 });
  });

  it('refuses when the live supervisors lack free slots', () => {
    expect(() => placeWorkers({ count: 3, supervisors: [supervisor('a', [1, 2])], inUse: new Set(['a:1']) })).toThrow(NotEnoughSlotsError);
  });
});

describe('cluster assignment', () => {
  const builder = new TopologyBuilder();
  builder.setSpout('sentences', new GeneratorSpout({ total: 10 }), 2);
  builder.setBolt('split', new SplitSentenceBolt(), 3).shuffleGrouping('sentences');
  const topology = builder.createTopology();
  const supervisors = [supervisor('a', [1, 2]), supervisor('b', [3])];
  const placements = placeWorkers({ count: 3, supervisors, inUse: new Set() });
  const assignment = buildClusterAssignment(topology, [1_000_000], placements, { version: 1, active: true, nowMs: 0 });

  it('deals every task and acker to the placed workers, with their addresses', () => {
    expect(Object.keys(assignment.tasks)).toHaveLength(topology.taskCount + 1);
    expect(new Set(Object.values(assignment.tasks))).toEqual(new Set(['w1', 'w2', 'w3']));
    for (const [workerId, placement] of Object.entries(placements)) expect(assignment.workers[workerId]).toEqual({ host: placement.host, port: placement.port });
    expect(slotsInUse([assignment])).toEqual(new Set(['a:1', 'a:2', 'b:3']));
  });

  it('holds while every slot is offered and the worker count is unchanged', () => {
    expect(assignmentHolds(assignment, 3, supervisors)).toBe(true);
    expect(assignmentHolds(assignment, 2, supervisors)).toBe(false);
    expect(assignmentHolds(assignment, 3, [supervisor('a', [1, 2])])).toBe(false);
    expect(assignmentHolds(assignment, 3, [supervisor('a', [1]), supervisor('b', [3])])).toBe(false);
  });
});
