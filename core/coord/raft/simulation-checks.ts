/**
 * The safety properties of Raft (Raft paper, Figure 3), checked by the simulator as the cluster
 * runs. A violation throws SimulationViolationError carrying the seed and tick to replay it.
 * - election safety: at most one leader per term;
 * - log matching: two durable logs holding an entry with the same index and term hold the same
 *   entry and agree on the term before it (so, by induction, on the whole prefix);
 * - leader completeness: a new leader's log holds every entry committed so far;
 * - state machine safety: no two nodes apply different entries (or reach different states) at an
 *   index;
 * - durability: every committed entry stays durable (log or snapshot) on a quorum, across crashes.
 */
import type { Entry, NodeId, Snapshot } from './types.js';

export class SimulationViolationError extends Error {
  readonly code = 'SIMULATION_VIOLATION';
  constructor(
    readonly property: string,
    readonly details: Record<string, unknown>,
  ) {
    super(`${property} violated: ${JSON.stringify(details)}`);
    this.name = 'SimulationViolationError';
  }
}

/** What one node has "fsynced": exactly what it can restart from. */
export interface DurableState {
  term: number;
  votedFor: NodeId | 0;
  commit: number;
  snapshot: Snapshot | undefined;
  entries: Entry[];
}

export function entryKey(entry: Pick<Entry, 'term' | 'kind' | 'data'>): string {
  return `${entry.term}:${entry.kind}:${Buffer.from(entry.data.buffer, entry.data.byteOffset, entry.data.byteLength).toString('latin1')}`;
}

export function durableTermAt(durable: DurableState, index: number): number | undefined {
  const snapshotIndex = durable.snapshot?.index ?? 0;
  if (index === snapshotIndex) return durable.snapshot?.term ?? 0;
  return durable.entries[index - snapshotIndex - 1]?.term;
}

export class SafetyChecker {
  private readonly leaderOfTerm = new Map<number, NodeId>();
  /** `${index}:${term}` → entry key and the term of the entry before it. */
  private readonly logEntries = new Map<string, { key: string; prevTerm: number | undefined }>();
  /** index → key of the committed entry there. */
  readonly committed = new Map<number, string>();
  /** index → application state hash after applying it. */
  private readonly stateHashAfter = new Map<number, number>();
  /** Leaders already checked for completeness, as `${id}:${term}`. */
  private readonly checkedLeaders = new Set<string>();

  fail(property: string, details: Record<string, unknown>): never {
    throw new SimulationViolationError(property, details);
  }

  onLeader(id: NodeId, term: number, termAt: (index: number) => number | undefined, firstIndex: number): void {
    const previous = this.leaderOfTerm.get(term);
    if (previous !== undefined && previous !== id) this.fail('election safety', { term, leaders: [previous, id] });
    this.leaderOfTerm.set(term, id);
    const key = `${id}:${term}`;
    if (this.checkedLeaders.has(key)) return;
    this.checkedLeaders.add(key);
    for (const [index, entry] of this.committed) {
      if (index < firstIndex - 1) continue;
      if (String(termAt(index)) !== entry.split(':', 1)[0]) this.fail('leader completeness', { id, term, index });
    }
  }

  /** Called with each entry a node just made durable, after it was appended to `durable`. */
  onDurableEntry(id: NodeId, durable: DurableState, entry: Entry): void {
    const mapKey = `${entry.index}:${entry.term}`;
    const seen = { key: entryKey(entry), prevTerm: durableTermAt(durable, entry.index - 1) };
    const known = this.logEntries.get(mapKey);
    if (known === undefined) this.logEntries.set(mapKey, seen);
    else if (known.key !== seen.key || (known.prevTerm !== undefined && seen.prevTerm !== undefined && known.prevTerm !== seen.prevTerm)) {
      this.fail('log matching', { id, index: entry.index, term: entry.term, known, seen });
    }
  }

  onCommitted(index: number, entry: Entry): void {
    const key = entryKey(entry);
    const known = this.committed.get(index);
    if (known !== undefined && known !== key) this.fail('state machine safety', { index, known, key });
    if (known === undefined) this.committed.set(index, key);
  }

  onApplied(id: NodeId, index: number, entry: Entry, stateHash: number): void {
    this.onCommitted(index, entry);
    this.onStateHash(id, index, stateHash);
  }

  onStateHash(id: NodeId, index: number, stateHash: number): void {
    const known = this.stateHashAfter.get(index);
    if (known === undefined) this.stateHashAfter.set(index, stateHash);
    else if (known !== stateHash) this.fail('state machine safety (state)', { id, index, known, stateHash });
  }

  /** Every committed entry must be durable on a quorum (in its log, or under its snapshot). */
  checkDurability(durables: DurableState[], quorum: number): void {
    for (const [index, key] of this.committed) {
      let holders = 0;
      for (const durable of durables) {
        const snapshotIndex = durable.snapshot?.index ?? 0;
        const entry = durable.entries[index - snapshotIndex - 1];
        if (index <= snapshotIndex || (entry !== undefined && entryKey(entry) === key)) holders++;
      }
      if (holders < quorum) this.fail('durability of committed entries', { index, holders, quorum });
    }
  }
}
