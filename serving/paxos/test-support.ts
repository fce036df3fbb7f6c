/**
 * A deterministic simulated network for the Paxos tests: seeded random delays (so reorders),
 * drops, duplicate deliveries and acceptor crashes (state kept: it is persisted, and here every
 * state goes through its binary form as it would through the disk). Clients run compare-and-set
 * operations one after another with a CasProposer each, backing off at random between rounds.
 * After `healAtMs` the network stops misbehaving, so every operation finishes.
 */
import { HybridLogicalClock } from '../../core/clock/index.js';
import { EMPTY_ACCEPTOR_STATE, handleCommit, handlePrepare, handlePropose, type AcceptorState, type PrepareReply, type ProposeReply } from './acceptor.js';
import type { Proposal } from './ballot.js';
import { decodeAcceptorState, encodeAcceptorState } from './paxos-codec.js';
import { CasProposer, type CasCondition, type CasOutcome, type PaxosMessage } from './proposer.js';
import { mulberry32 } from '../../core/random/mulberry32.js';

export interface SimulationOptions {
  readonly seed: number;
  readonly acceptors: number;
  readonly dropRate: number;
  readonly duplicateRate: number;
  readonly maxDelayMs: number;
  /** Chance per 10 ms that a random acceptor crashes for 20–200 ms (at most a minority at once). */
  readonly crashRate: number;
  readonly roundTimeoutMs: number;
  readonly healAtMs: number;
  readonly maxEvents?: number;
}

export interface Operation {
  readonly operationId: string;
  readonly condition: CasCondition;
}

export interface OperationRecord {
  readonly client: string;
  readonly operationId: string;
  readonly invokedAtMs: number;
  readonly completedAtMs: number;
  readonly outcome: CasOutcome;
  readonly rounds: number;
}

type Envelope = { readonly from: string; readonly to: string } & (PaxosMessage | { type: 'prepare-reply'; reply: PrepareReply } | { type: 'propose-reply'; reply: ProposeReply });

type SimEvent = { kind: 'deliver'; envelope: Envelope } | { kind: 'start-round'; client: Client } | { kind: 'timeout'; client: Client; round: number } | { kind: 'crash-check' };

interface Client {
  readonly nodeId: string;
  readonly hlc: HybridLogicalClock;
  readonly operations: Operation[];
  proposer: CasProposer | null;
  invokedAtMs: number;
}

export const seededRandom = mulberry32;

export class PaxosSimulation {
  nowMs = 0;
  readonly records: OperationRecord[] = [];
  /** Every proposal a proposer saw chosen (majority accepted), and every commit an acceptor applied. */
  readonly chosen: Proposal[] = [];
  readonly applied: Proposal[] = [];
  readonly acceptorIds: string[];
  readonly #states = new Map<string, Buffer>();
  readonly #downUntilMs = new Map<string, number>();
  readonly #clients: Client[] = [];
  readonly #queue: { atMs: number; sequence: number; event: SimEvent }[] = [];
  readonly #random: () => number;
  #sequence = 0;
  #events = 0;

  constructor(readonly options: SimulationOptions) {
    this.#random = seededRandom(options.seed);
    this.acceptorIds = Array.from({ length: options.acceptors }, (_, i) => `acceptor-${i}`);
    for (const id of this.acceptorIds) this.#states.set(id, encodeAcceptorState(EMPTY_ACCEPTOR_STATE));
    if (options.crashRate > 0) this.#schedule(10, { kind: 'crash-check' });
  }

  addClient(nodeId: string, operations: Operation[]): void {
    const client: Client = { nodeId, hlc: new HybridLogicalClock({ physicalClockMs: () => this.nowMs }), operations: [...operations], proposer: null, invokedAtMs: 0 };
    this.#clients.push(client);
    this.#nextOperation(client);
  }

  acceptorState(id: string): AcceptorState {
    return decodeAcceptorState(this.#states.get(id) as Buffer);
  }

  /** Runs until no client has work left; throws if maxEvents pass first. */
  run(): void {
    const maxEvents = this.options.maxEvents ?? 500_000;
    while (this.#clients.some((client) => client.proposer !== null)) {
      const next = this.#pop();
      if (next === undefined) throw new Error('simulation stalled with operations pending');
      if (++this.#events > maxEvents) throw new Error(`simulation exceeded ${maxEvents} events`);
      this.nowMs = next.atMs;
      this.#handle(next.event);
    }
  }

  #handle(event: SimEvent): void {
    if (event.kind === 'deliver') this.#deliver(event.envelope);
    else if (event.kind === 'start-round') this.#startRound(event.client);
    else if (event.kind === 'timeout') {
      const proposer = event.client.proposer;
      if (proposer !== null && proposer.rounds === event.round) this.#afterInput(event.client, proposer.onTimeout());
    } else this.#crashCheck();
  }

  #crashCheck(): void {
    if (this.nowMs < this.options.healAtMs) {
      const down = this.acceptorIds.filter((id) => this.#isDown(id)).length;
      if (this.#random() < this.options.crashRate && down < Math.floor((this.options.acceptors - 1) / 2)) {
        const victim = this.acceptorIds[Math.floor(this.#random() * this.acceptorIds.length)] as string;
        if (!this.#isDown(victim)) this.#downUntilMs.set(victim, this.nowMs + 20 + Math.floor(this.#random() * 180));
      }
      this.#schedule(this.nowMs + 10, { kind: 'crash-check' });
    }
  }

  #isDown(acceptor: string): boolean {
    return (this.#downUntilMs.get(acceptor) ?? -1) > this.nowMs;
  }

  #nextOperation(client: Client): void {
    const operation = client.operations.shift();
    if (operation === undefined) {
      client.proposer = null;
      return;
    }
    client.proposer = new CasProposer({ nodeId: client.nodeId, replicas: this.acceptorIds, operationId: operation.operationId, condition: operation.condition, maxRounds: 10_000 });
    client.invokedAtMs = this.nowMs;
    this.#schedule(this.nowMs + Math.floor(this.#random() * 3), { kind: 'start-round', client });
  }

  #startRound(client: Client): void {
    const proposer = client.proposer;
    if (proposer === null || proposer.phase !== 'needs-ballot') return;
    const highest = proposer.highestBallotSeen;
    const timestamp = highest === null ? client.hlc.now() : client.hlc.update(highest.timestamp);
    this.#send(client.nodeId, proposer.startRound(timestamp));
    this.#schedule(this.nowMs + this.options.roundTimeoutMs, { kind: 'timeout', client, round: proposer.rounds });
  }

  #afterInput(client: Client, messages: PaxosMessage[]): void {
    const proposer = client.proposer as CasProposer;
    this.#send(client.nodeId, messages);
    if (proposer.phase === 'done') {
      const outcome = proposer.outcome as CasOutcome;
      this.records.push({ client: client.nodeId, operationId: proposer.operationId, invokedAtMs: client.invokedAtMs, completedAtMs: this.nowMs, outcome, rounds: proposer.rounds });
      this.#nextOperation(client);
    } else if (proposer.phase === 'needs-ballot') {
      const backoffMs = proposer.retryReason === 'repaired' ? 0 : Math.floor(this.#random() * Math.min(200, 5 * 2 ** Math.min(proposer.rounds, 6)));
      this.#schedule(this.nowMs + backoffMs, { kind: 'start-round', client });
    }
  }

  #send(from: string, messages: PaxosMessage[]): void {
    for (const message of messages) {
      if (message.type === 'commit' && this.chosen.every((proposal) => proposal !== message.proposal)) this.chosen.push(message.proposal);
      this.#transmit({ from, ...message });
    }
  }

  #transmit(envelope: Envelope): void {
    const misbehaving = this.nowMs < this.options.healAtMs;
    if (misbehaving && this.#random() < this.options.dropRate) return;
    const copies = misbehaving && this.#random() < this.options.duplicateRate ? 2 : 1;
    for (let i = 0; i < copies; i++) this.#schedule(this.nowMs + 1 + Math.floor(this.#random() * this.options.maxDelayMs), { kind: 'deliver', envelope });
  }

  #deliver(envelope: Envelope): void {
    if (envelope.type === 'prepare-reply' || envelope.type === 'propose-reply') {
      const client = this.#clients.find((candidate) => candidate.nodeId === envelope.to);
      const proposer = client?.proposer;
      if (client === undefined || proposer === null || proposer === undefined) return;
      const messages = envelope.type === 'prepare-reply' ? proposer.onPrepareReply(envelope.from, envelope.reply) : proposer.onProposeReply(envelope.from, envelope.reply);
      this.#afterInput(client, messages);
      return;
    }
    if (this.#isDown(envelope.to)) return;
    const state = this.acceptorState(envelope.to);
    if (envelope.type === 'commit') {
      const step = handleCommit(state, envelope.proposal);
      if (step.apply) this.applied.push(envelope.proposal);
      this.#persist(envelope.to, step.state, step.changed);
    } else if (envelope.type === 'prepare') {
      const step = handlePrepare(state, envelope.ballot);
      this.#persist(envelope.to, step.state, step.changed);
      this.#transmit({ from: envelope.to, to: envelope.from, type: 'prepare-reply', reply: step.reply });
    } else {
      const step = handlePropose(state, envelope.proposal);
      this.#persist(envelope.to, step.state, step.changed);
      this.#transmit({ from: envelope.to, to: envelope.from, type: 'propose-reply', reply: step.reply });
    }
  }

  #persist(acceptor: string, state: AcceptorState, changed: boolean): void {
    if (changed) this.#states.set(acceptor, encodeAcceptorState(state));
  }

  #schedule(atMs: number, event: SimEvent): void {
    const entry = { atMs, sequence: this.#sequence++, event };
    const queue = this.#queue;
    queue.push(entry);
    for (let i = queue.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (before(queue[parent] as typeof entry, entry)) break;
      queue[i] = queue[parent] as typeof entry;
      queue[parent] = entry;
      i = parent;
    }
  }

  #pop(): { atMs: number; event: SimEvent } | undefined {
    const queue = this.#queue;
    const top = queue[0];
    const last = queue.pop();
    if (top === undefined || last === undefined || queue.length === 0) return top;
    queue[0] = last;
    for (let i = 0; ; ) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < queue.length && before(queue[left] as typeof last, queue[smallest] as typeof last)) smallest = left;
      if (right < queue.length && before(queue[right] as typeof last, queue[smallest] as typeof last)) smallest = right;
      if (smallest === i) break;
      [queue[i], queue[smallest]] = [queue[smallest] as typeof last, queue[i] as typeof last];
      i = smallest;
    }
    return top;
  }
}

function before(a: { atMs: number; sequence: number }, b: { atMs: number; sequence: number }): boolean {
  return a.atMs < b.atMs || (a.atMs === b.atMs && a.sequence < b.sequence);
}
