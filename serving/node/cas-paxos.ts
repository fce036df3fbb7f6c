/**
 * One compare-and-set as a Paxos run (serving/paxos's proposer) over the key's replicas, the
 * way Cassandra runs lightweight transactions: prepare → (finish any in-progress round) →
 * evaluate the condition on the newest copy a majority holds → propose → commit.
 *
 * The condition reads the newest of (a) the values the promising majority store — blind SETs
 * land there too, so a CAS sees them — and (b) the latest committed Paxos value among them.
 * The chosen value carries an HLC timestamp taken after reading both, so once committed it
 * wins every last-write-wins merge against what the condition saw.
 *
 * A copy stamped further ahead of this node's clock than the HLC's drift limit (a node with a
 * fast clock wrote it) cannot be outstamped without dragging this clock into the future: the CAS
 * is refused with the HLC's ClockDriftExceededError, which the client sees, rather than thrown
 * inside a peer reply's callback, where it went unhandled and killed the node.
 */
import { compareHlc, type HybridLogicalClock, type HlcTimestamp } from '../../core/clock/hybrid-logical-clock.js';
import type { CompareAndSetResult, Entry } from '../keyspace/index.js';
import { CasProposer, encodeBallot, encodeProposal, type Ballot, type PaxosMessage, type Proposal } from '../paxos/index.js';
import { DEFAULT_TOMBSTONE_GRACE_MS, liveValue, lwwWrite, mergeAll, resolve, tombstone, type LwwValue, type VersionedValue } from '../quorum/index.js';
import { decodeCasValue, encodeCasValue } from './cas-value.js';
import type { ClusterIO } from './cluster-io.js';
import { CasNotAppliedError, CasOutcomeUnknownError } from './errors.js';
import { decodePrepareReply, decodeProposeReply } from './peer-messages.js';
import { PeerOp } from './peer-rpc.js';

/** Backoff before a new round after contention or a timeout: random up to base × 2^round, capped. */
const CAS_BACKOFF_BASE_MS = 2;
const MAX_CAS_BACKOFF_MS = 200;
let operationCounter = 0;

export interface CasRun {
  io: ClusterIO;
  clock: HybridLogicalClock;
  now: () => number;
  key: Buffer;
  replicas: readonly string[];
  expected: Entry | undefined;
  next: Entry | undefined;
  timeoutMs: number;
}

function sameEntry(a: Entry | undefined, b: Entry | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.value.equals(b.value) && a.expiresAtMs === b.expiresAtMs;
}

/** The live entry of the newest LWW copy among `copies`, and that copy's timestamp. */
function newest(copies: readonly VersionedValue[], nowMs: number): { entry: Entry | undefined; timestamp: HlcTimestamp | undefined } {
  const merged = mergeAll(copies);
  if (merged === undefined) return { entry: undefined, timestamp: undefined };
  const result = resolve(merged, nowMs);
  const value = result.mode === 'lww' ? result.value : result.values[0];
  const timestamp = merged.mode === 'lww' ? merged.timestamp : undefined;
  if (value === undefined) return { entry: undefined, timestamp };
  return { entry: value.expiresAtMs === undefined ? { value: value.value } : { value: value.value, expiresAtMs: value.expiresAtMs }, timestamp };
}

export function compareAndSetByPaxos(run: CasRun): Promise<CompareAndSetResult> {
  const { io, clock, now, key } = run;
  const seen: VersionedValue[] = [];
  let current: Entry | undefined;
  let confirmedWithoutWrite = false;
  let clockRefused: Error | undefined;
  const proposer = new CasProposer({
    nodeId: io.nodeId,
    replicas: run.replicas,
    operationId: `${io.nodeId}/${process.pid}/${++operationCounter}`,
    condition: () => {
      const found = newest(seen, now());
      current = found.entry;
      if (!sameEntry(found.entry, run.expected)) return { write: false };
      if (sameEntry(run.next, run.expected)) {
        confirmedWithoutWrite = true;
        return { write: false };
      }
      if (found.timestamp !== undefined) {
        try {
          clock.update(found.timestamp);
        } catch (error) {
          clockRefused = error as Error;
          return { write: false };
        }
      }
      const timestamp = clock.now();
      const nowMs = now();
      const payload = run.next === undefined || (run.next.expiresAtMs !== undefined && run.next.expiresAtMs <= nowMs) ? tombstone(nowMs + DEFAULT_TOMBSTONE_GRACE_MS) : liveValue(run.next.value, run.next.expiresAtMs);
      return { write: true, value: encodeCasValue(lwwWrite(timestamp, io.nodeId, payload)) };
    },
  });

  return new Promise<CompareAndSetResult>((resolvePromise, reject) => {
    let roundTimer: NodeJS.Timeout | undefined;
    let roundScheduled = false;
    let commits: Promise<unknown>[] = [];
    const finish = () => {
      clearTimeout(roundTimer);
      const outcome = proposer.outcome!;
      if (clockRefused !== undefined) return reject(clockRefused);
      // The value is chosen; answering after a majority applied it makes a plain GET see it.
      if (outcome.status === 'applied') void majority(commits, run.replicas.length).then(() => resolvePromise({ written: true }));
      else if (outcome.status === 'condition-failed') resolvePromise(confirmedWithoutWrite ? { written: true } : { written: false, current });
      else if (outcome.status === 'unknown') reject(new CasOutcomeUnknownError(outcome.reason));
      else reject(new CasNotAppliedError(outcome.reason));
    };
    const afterStep = (messages: PaxosMessage[]) => {
      send(messages);
      if (proposer.phase === 'done') finish();
      else if (proposer.phase === 'needs-ballot') scheduleRound();
    };
    const send = (messages: PaxosMessage[]) => {
      for (const message of messages) {
        if (message.type === 'prepare') {
          io.call(message.to, PeerOp.PaxosPrepare, key, encodeBallot(message.ballot), run.timeoutMs).then(
            (body) => {
              const { reply, stored } = decodePrepareReply(body);
              if (reply.kind === 'promise') {
                if (stored !== undefined) seen.push(stored);
                const committed = committedCopy(reply.committed);
                if (committed !== undefined) seen.push(committed);
              }
              if (proposer.phase !== 'done') afterStep(proposer.onPrepareReply(message.to, reply));
            },
            () => undefined, // a silent acceptor: the round timer decides
          );
        } else if (message.type === 'propose') {
          io.call(message.to, PeerOp.PaxosPropose, key, encodeProposal(message.proposal), run.timeoutMs).then(
            (body) => proposer.phase !== 'done' && afterStep(proposer.onProposeReply(message.to, decodeProposeReply(body))),
            () => undefined,
          );
        } else {
          // The value is chosen once a majority accepted; commits make it visible to plain reads.
          const commit = io.call(message.to, PeerOp.PaxosCommit, key, encodeProposal(message.proposal), run.timeoutMs);
          commit.catch(() => undefined);
          commits = [...commits, commit];
        }
      }
    };
    const startRound = () => {
      const highest: Ballot | null = proposer.highestBallotSeen;
      const timestamp = highest === null ? clock.now() : clock.update(highest.timestamp);
      const round = proposer.rounds + 1;
      clearTimeout(roundTimer);
      roundTimer = setTimeout(() => {
        if (proposer.rounds === round && proposer.phase !== 'done' && proposer.phase !== 'needs-ballot') afterStep(proposer.onTimeout());
      }, run.timeoutMs);
      afterStep(proposer.startRound(highestAfter(timestamp, highest)));
    };
    const scheduleRound = () => {
      // Late replies of the failed round see 'needs-ballot' too: schedule the next round once.
      if (roundScheduled) return;
      roundScheduled = true;
      const backoffMs = proposer.retryReason === 'repaired' ? 0 : Math.random() * Math.min(MAX_CAS_BACKOFF_MS, CAS_BACKOFF_BASE_MS * 2 ** proposer.rounds);
      setTimeout(() => {
        roundScheduled = false;
        try {
          startRound();
        } catch (error) {
          reject(error as Error);
        }
      }, backoffMs);
    };
    try {
      startRound();
    } catch (error) {
      reject(error as Error);
    }
  });
}

/** Resolves once a majority of `total` commits succeeded, or all settled (never rejects). */
function majority(commits: readonly Promise<unknown>[], total: number): Promise<void> {
  const needed = Math.floor(total / 2) + 1;
  return new Promise((resolve) => {
    let succeeded = 0;
    let settled = 0;
    if (commits.length === 0) resolve();
    for (const commit of commits) {
      commit.then(
        () => ++succeeded >= needed && resolve(),
        () => undefined,
      ).finally(() => ++settled === commits.length && resolve());
    }
  });
}

/** The committed Paxos value as the LWW copy it wrote. */
function committedCopy(proposal: Proposal | null): LwwValue | undefined {
  return proposal?.value ? decodeCasValue(proposal.value) : undefined;
}

/** A timestamp strictly above the highest ballot seen (HLC update already guarantees it; this is the assertion). */
function highestAfter(timestamp: HlcTimestamp, highest: Ballot | null): HlcTimestamp {
  if (highest !== null && compareHlc(timestamp, highest.timestamp) <= 0) return { wallMs: highest.timestamp.wallMs, logical: highest.timestamp.logical + 1 };
  return timestamp;
}
