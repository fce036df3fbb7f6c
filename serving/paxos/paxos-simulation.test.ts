import { describe, expect, it } from '@jest/globals';
import type { Proposal } from './ballot.js';
import type { CasCondition } from './proposer.js';
import { PaxosSimulation, type OperationRecord, type SimulationOptions } from './test-support.js';

const HOSTILE: Omit<SimulationOptions, 'seed'> = {
  acceptors: 5,
  dropRate: 0.15,
  duplicateRate: 0.1,
  maxDelayMs: 12,
  crashRate: 0.2,
  roundTimeoutMs: 40,
  healAtMs: 3_000,
};
const SEEDS = Array.from({ length: 12 }, (_, i) => 1000 + i * 7919);

const setIfAbsent =
  (value: string): CasCondition =>
  (current) =>
    current === null ? { write: true, value: Buffer.from(value) } : { write: false };
const increment: CasCondition = (current) => ({ write: true, value: Buffer.from(String(Number(current?.toString() ?? '0') + 1)) });
const read: CasCondition = () => ({ write: false });

/**
 * The sequence of chosen values by height, checked for safety: one operation and one value per
 * height (a repair re-chooses the same proposal under a higher ballot), heights 1..H without gaps.
 */
function chosenHistory(simulation: PaxosSimulation): Proposal[] {
  const byHeight = new Map<number, Proposal>();
  for (const proposal of [...simulation.chosen, ...simulation.applied]) {
    const other = byHeight.get(proposal.height);
    if (other === undefined) byHeight.set(proposal.height, proposal);
    else {
      expect(other.operationId).toBe(proposal.operationId);
      expect(other.value).toEqual(proposal.value);
    }
  }
  const heights = [...byHeight.keys()].sort((a, b) => a - b);
  expect(heights).toEqual(heights.map((_, i) => i + 1));
  // Each acceptor applies commits in increasing height (ballot order follows the chain).
  return heights.map((height) => byHeight.get(height) as Proposal);
}

function outcomeOf(records: readonly OperationRecord[], status: string): OperationRecord[] {
  return records.filter((record) => record.outcome.status === status);
}

describe('paxos compare-and-set (simulated network: drops, delays, duplicates, crashes)', () => {
  it.each(SEEDS)('lets exactly one of several concurrent SET-if-absent win (seed %i)', (seed) => {
    const simulation = new PaxosSimulation({ ...HOSTILE, seed });
    const clients = ['p0', 'p1', 'p2', 'p3'];
    for (const client of clients) simulation.addClient(client, [{ operationId: `${client}/nx`, condition: setIfAbsent(client) }]);
    simulation.run();
    const applied = outcomeOf(simulation.records, 'applied');
    expect(applied).toHaveLength(1);
    const winner = applied[0] as OperationRecord;
    expect(outcomeOf(simulation.records, 'condition-failed')).toHaveLength(clients.length - 1);
    for (const record of outcomeOf(simulation.records, 'condition-failed')) {
      expect(record.outcome).toEqual({ status: 'condition-failed', current: Buffer.from(winner.client), height: 1 });
    }
    const history = chosenHistory(simulation);
    expect(history.map((proposal) => proposal.operationId)).toEqual([winner.operationId]);
  });

  it.each(SEEDS)('applies concurrent increments exactly once each, in an order consistent with real time (seed %i)', (seed) => {
    const simulation = new PaxosSimulation({ ...HOSTILE, seed });
    const clients = ['p0', 'p1', 'p2'];
    for (const client of clients) {
      simulation.addClient(
        client,
        Array.from({ length: 4 }, (_, i) => ({ operationId: `${client}/inc-${i}`, condition: increment })),
      );
    }
    simulation.run();
    simulation.addClient('reader', [{ operationId: 'reader/final', condition: read }]);
    simulation.run();

    const applied = outcomeOf(simulation.records, 'applied');
    expect(outcomeOf(simulation.records, 'unknown')).toEqual([]);
    expect(applied).toHaveLength(clients.length * 4);
    const final = simulation.records.find((record) => record.operationId === 'reader/final')?.outcome;
    expect(final).toEqual({ status: 'condition-failed', current: Buffer.from(String(applied.length)), height: applied.length });

    // Linearizability: the chosen values form one chain 1, 2, ..., each the increment of the one
    // before, each from a distinct operation that reported success at that height.
    const history = chosenHistory(simulation);
    expect(history.map((proposal) => proposal.value?.toString())).toEqual(history.map((_, i) => String(i + 1)));
    expect(new Set(history.map((proposal) => proposal.operationId)).size).toBe(history.length);
    for (const record of applied) {
      const height = record.outcome.status === 'applied' ? record.outcome.height : -1;
      expect(history[height - 1]?.operationId).toBe(record.operationId);
    }
    // Real-time order: an increment that finished before another began took effect before it.
    for (const first of applied) {
      for (const second of applied) {
        if (first.completedAtMs < second.invokedAtMs && first.outcome.status === 'applied' && second.outcome.status === 'applied') {
          expect(first.outcome.height).toBeLessThan(second.outcome.height);
        }
      }
    }
    // Acceptor states (persisted through the codec throughout) hold commits of that same chain.
    for (const id of simulation.acceptorIds) {
      const committed = simulation.acceptorState(id).committed;
      if (committed !== null) expect(history[committed.height - 1]?.operationId).toBe(committed.operationId);
    }
  });

  it('exercises the recovery paths under contention (repairs, lost outcomes learned from history)', () => {
    let repairsSeen = 0;
    let multiRound = 0;
    for (const seed of SEEDS) {
      const simulation = new PaxosSimulation({ ...HOSTILE, seed, dropRate: 0.3 });
      for (const client of ['p0', 'p1', 'p2']) simulation.addClient(client, [0, 1, 2].map((i) => ({ operationId: `${client}/${i}`, condition: increment })));
      simulation.run();
      // A repair: a proposal chosen under the ballot of a node other than the one whose operation made it.
      repairsSeen += simulation.chosen.filter((proposal) => !proposal.operationId.startsWith(`${proposal.ballot.nodeId}/`)).length;
      multiRound += simulation.records.filter((record) => record.rounds > 1).length;
      expect(outcomeOf(simulation.records, 'applied')).toHaveLength(9);
      chosenHistory(simulation);
    }
    expect(repairsSeen).toBeGreaterThan(0);
    expect(multiRound).toBeGreaterThan(0);
  });
});
