/**
 * A deterministic cluster simulator for RaftNode: N nodes, one seeded PRNG, a network that drops,
 * delays, reorders and duplicates messages and can be partitioned, nodes that crash and restart
 * from exactly what they had "fsynced" (the Ready state the simulator persisted), client
 * proposals and periodic compaction. Every Ready is processed the way a real server must:
 * persist, then send, then apply, then advance. SafetyChecker asserts Raft's safety properties
 * throughout; `settle()` checks liveness once the faults stop.
 */
import { decodeMessage, encodeMessage } from './codec.js';
import { RaftError } from './errors.js';
import { RaftNode } from './raft-node.js';
import { SafetyChecker, type DurableState } from './simulation-checks.js';
import type { Entry, Message, NodeId, Ready, Snapshot } from './types.js';
import { mulberry32 } from '../../random/mulberry32.js';

export { mulberry32 };

export interface FaultRates {
  /** Probabilities per message. */
  dropRate: number;
  duplicateRate: number;
  maxDelayTicks: number;
  /** Probabilities per tick. */
  partitionRate: number;
  healRate: number;
  crashRate: number;
  restartRate: number;
  /** Probability per delivered Ready that the node crashes after persisting, before sending. */
  crashAfterPersistRate: number;
  proposeRate: number;
  /** A node compacts when it applied this many entries past its snapshot. */
  compactAfterEntries: number;
}

export const DEFAULT_FAULTS: FaultRates = {
  dropRate: 0.1,
  duplicateRate: 0.05,
  maxDelayTicks: 3,
  partitionRate: 0.02,
  healRate: 0.05,
  crashRate: 0.01,
  restartRate: 0.1,
  crashAfterPersistRate: 0.002,
  proposeRate: 0.5,
  compactAfterEntries: 20,
};

export const CALM: FaultRates = { ...DEFAULT_FAULTS, dropRate: 0, duplicateRate: 0, partitionRate: 0, crashRate: 0, crashAfterPersistRate: 0, healRate: 1, restartRate: 1 };

interface SimNode {
  id: NodeId;
  raft: RaftNode | undefined;
  durable: DurableState;
  appliedIndex: number;
  stateHash: number;
}

interface InFlight {
  deliverAtTick: number;
  message: Message | Buffer;
}

/** Share of messages sent through encodeMessage/decodeMessage; the rest travel as objects to keep
 * thousands of runs fast (the codec has its own property tests). */
const ENCODED_MESSAGE_SHARE = 0.1;

const ELECTION_TICKS = 10;
/** Readies one event can cause; more means hasReady() never settles. */
const MAX_READY_ROUNDS = 100;

/** FNV-1a over the previous state hash and the applied entry: the whole application state. */
function nextStateHash(stateHash: number, entry: Entry): number {
  let hash = (stateHash ^ entry.index ^ (entry.term << 7)) >>> 0;
  for (const byte of entry.data) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return Math.imul(hash ^ (entry.kind === 'noop' ? 1 : 2), 0x01000193) >>> 0;
}

function encodeAppState(stateHash: number): Uint8Array {
  const data = Buffer.alloc(4);
  data.writeUInt32BE(stateHash);
  return new Uint8Array(data);
}

export class Simulation {
  readonly random: () => number;
  readonly checker = new SafetyChecker();
  readonly nodes: SimNode[];
  tick = 0;
  proposals = 0;
  private network: InFlight[] = [];
  /** Partition group per node; messages cross only within a group. */
  private group = new Map<NodeId, number>();
  /** Per node, the commit index up to which its committed entries were reported to the checker. */
  private recordedCommit = new Map<NodeId, number>();

  constructor(
    readonly seed: number,
    nodeCount: number,
    public faults: FaultRates = DEFAULT_FAULTS,
  ) {
    this.random = mulberry32(seed);
    this.nodes = Array.from({ length: nodeCount }, (_, i) => ({
      id: i + 1, raft: undefined, appliedIndex: 0, stateHash: 0,
      durable: { term: 0, votedFor: 0, commit: 0, snapshot: undefined, entries: [] },
    }));
    for (const node of this.nodes) this.start(node);
  }

  private get peers(): NodeId[] {
    return this.nodes.map((node) => node.id);
  }

  private start(node: SimNode): void {
    const durable = node.durable;
    node.raft = new RaftNode(
      { id: node.id, peers: this.peers, electionTicks: ELECTION_TICKS, heartbeatTicks: 1, random: this.random, maxInflightAppends: 4, maxEntriesPerAppend: 8 },
      { hardState: { term: durable.term, votedFor: durable.votedFor, commit: durable.commit }, snapshot: durable.snapshot, entries: durable.entries.slice() },
    );
    // The application restarts from its last snapshot; the log replays the rest.
    node.stateHash = durable.snapshot === undefined ? 0 : Buffer.from(durable.snapshot.data).readUInt32BE(0);
    node.appliedIndex = durable.snapshot?.index ?? 0;
  }

  private crash(node: SimNode): void {
    if (node.raft === undefined) return;
    node.raft = undefined;
    this.recordedCommit.delete(node.id);
    this.checkDurability();
  }

  checkDurability(): void {
    this.checker.checkDurability(this.nodes.map((node) => node.durable), Math.floor(this.nodes.length / 2) + 1);
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  /** One tick of simulated time: faults, client work, node ticks, deliveries. */
  step(): void {
    this.tick++;
    this.injectFaults();
    this.propose();
    for (const node of this.nodes) {
      node.raft?.tick();
      this.drain(node);
    }
    this.deliver();
    this.checkLeaders();
  }

  private injectFaults(): void {
    const faults = this.faults;
    if (this.random() < faults.partitionRate) for (const node of this.nodes) this.group.set(node.id, this.random() < 0.5 ? 0 : 1);
    if (this.random() < faults.healRate) this.group.clear();
    if (this.random() < faults.crashRate) this.crash(this.pick(this.nodes));
    for (const node of this.nodes) if (node.raft === undefined && this.random() < faults.restartRate) this.start(node);
  }

  private propose(): void {
    if (this.random() >= this.faults.proposeRate) return;
    const leader = this.nodes.find((node) => node.raft?.role === 'leader');
    if (leader === undefined) return;
    try {
      leader.raft!.propose(new TextEncoder().encode(`${this.seed}/${this.proposals++}`));
    } catch (error) {
      if (!(error instanceof RaftError) || error.code === 'RAFT_INVARIANT') throw error;
    }
    this.drain(leader);
  }

  private deliver(): void {
    const due: InFlight[] = [];
    const later: InFlight[] = [];
    for (const inFlight of this.network) (inFlight.deliverAtTick <= this.tick ? due : later).push(inFlight);
    this.network = later;
    for (let i = due.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      [due[i], due[j]] = [due[j]!, due[i]!];
    }
    for (const inFlight of due) {
      const message = Buffer.isBuffer(inFlight.message) ? decodeMessage(inFlight.message) : inFlight.message;
      const target = this.nodes[message.to - 1]!;
      if (target.raft === undefined || (this.group.get(message.from) ?? 0) !== (this.group.get(message.to) ?? 0)) continue;
      target.raft.step(message);
      this.drain(target);
    }
  }

  /** Processes every Ready of a node as a server would: persist, send, apply, advance. */
  private drain(node: SimNode): void {
    for (let round = 0; node.raft?.hasReady(); round++) {
      if (round > MAX_READY_ROUNDS) this.checker.fail('hasReady() settles', { id: node.id });
      const ready = node.raft.ready();
      this.persist(node, ready);
      if (this.random() < this.faults.crashAfterPersistRate) return this.crash(node);
      for (const message of ready.messages) this.send(message);
      this.apply(node, ready);
      node.raft.advance(ready);
      this.compactIfDue(node);
    }
  }

  private persist(node: SimNode, ready: Ready): void {
    const durable = node.durable;
    if (ready.snapshot !== undefined) {
      durable.snapshot = ready.snapshot;
      durable.entries = [];
    }
    const first = ready.entries[0];
    if (first !== undefined) {
      const snapshotIndex = durable.snapshot?.index ?? 0;
      durable.entries.length = Math.min(durable.entries.length, first.index - snapshotIndex - 1);
      for (const entry of ready.entries) {
        if (entry.index !== snapshotIndex + durable.entries.length + 1) this.checker.fail('ready entries extend the durable log', { id: node.id, index: entry.index });
        durable.entries.push(entry);
        this.checker.onDurableEntry(node.id, durable, entry);
      }
    }
    if (ready.hardState !== undefined) Object.assign(durable, ready.hardState);
  }

  private send(message: Message): void {
    if (this.random() < this.faults.dropRate) return;
    const copies = this.random() < this.faults.duplicateRate ? 2 : 1;
    const wire = this.random() < ENCODED_MESSAGE_SHARE ? encodeMessage(message) : message;
    for (let copy = 0; copy < copies; copy++) {
      const deliverAtTick = this.tick + Math.floor(this.random() * (this.faults.maxDelayTicks + 1));
      this.network.push({ deliverAtTick, message: wire });
    }
  }

  private apply(node: SimNode, ready: Ready): void {
    if (ready.snapshot !== undefined) this.restoreApplication(node, ready.snapshot);
    for (const entry of ready.committedEntries) {
      if (entry.index !== node.appliedIndex + 1) this.checker.fail('entries apply in order', { id: node.id, index: entry.index, applied: node.appliedIndex });
      node.stateHash = nextStateHash(node.stateHash, entry);
      node.appliedIndex = entry.index;
      this.checker.onApplied(node.id, entry.index, entry, node.stateHash);
    }
  }

  private restoreApplication(node: SimNode, snapshot: Snapshot): void {
    node.stateHash = Buffer.from(snapshot.data).readUInt32BE(0);
    node.appliedIndex = snapshot.index;
    this.checker.onStateHash(node.id, snapshot.index, node.stateHash);
  }

  /** After advance(): the application's state is exactly its applied index, all of it durable. */
  private compactIfDue(node: SimNode): void {
    const raft = node.raft;
    if (raft === undefined || node.appliedIndex - raft.firstIndex + 1 < this.faults.compactAfterEntries) return;
    const snapshot = raft.compact(node.appliedIndex, encodeAppState(node.stateHash));
    if (snapshot === undefined) return;
    node.durable.entries = node.durable.entries.slice(snapshot.index - (node.durable.snapshot?.index ?? 0));
    node.durable.snapshot = snapshot;
  }

  private checkLeaders(): void {
    for (const node of this.nodes) {
      const raft = node.raft;
      if (raft === undefined || raft.role !== 'leader') continue;
      this.checker.onLeader(node.id, raft.term, (index) => raft.termAt(index), raft.firstIndex);
      // A leader's commit index is the moment an entry becomes committed; record it right away.
      const from = Math.max(raft.firstIndex, (this.recordedCommit.get(node.id) ?? 0) + 1);
      for (let index = from; index <= raft.commitIndex; index++) this.checker.onCommitted(index, raft.entryAt(index)!);
      this.recordedCommit.set(node.id, raft.commitIndex);
    }
  }

  /** Liveness: with faults off and every node up, a leader emerges and a new proposal is applied
   * everywhere. Returns the ticks it took; throws if it takes more than `maxTicks`. */
  settle(maxTicks: number): number {
    this.faults = CALM;
    this.group.clear();
    for (const node of this.nodes) if (node.raft === undefined) this.start(node);
    const startTick = this.tick;
    let marker: number | undefined;
    while (this.tick - startTick < maxTicks) {
      this.step();
      const leader = this.nodes.find((node) => node.raft?.role === 'leader');
      if (marker === undefined && leader !== undefined) marker = this.proposeMarker(leader);
      if (marker !== undefined && this.nodes.every((node) => node.appliedIndex >= marker!)) return this.tick - startTick;
    }
    return this.checker.fail('liveness', { seed: this.seed, maxTicks, marker });
  }

  private proposeMarker(leader: SimNode): number {
    const { index } = leader.raft!.propose(new TextEncoder().encode(`marker/${this.seed}`));
    this.drain(leader);
    return index;
  }
}

export interface SeedRunSummary {
  runs: number;
  committedEntries: number;
  maxSettleTicks: number;
}

/** Runs seeds [firstSeed, firstSeed + runs): `steps` faulty ticks, then settle() within
 * `settleMaxTicks`, then a final durability check. Throws on the first violation. */
export function runSeeds(nodeCount: number, firstSeed: number, runs: number, steps: number, settleMaxTicks: number): SeedRunSummary {
  const summary: SeedRunSummary = { runs, committedEntries: 0, maxSettleTicks: 0 };
  for (let seed = firstSeed; seed < firstSeed + runs; seed++) {
    const simulation = new Simulation(seed, nodeCount);
    for (let step = 0; step < steps; step++) simulation.step();
    summary.maxSettleTicks = Math.max(summary.maxSettleTicks, simulation.settle(settleMaxTicks));
    simulation.checkDurability();
    summary.committedEntries += simulation.checker.committed.size;
  }
  return summary;
}
