/**
 * The bookkeeping of a coordinating node for ONE read or write (Dynamo §4.5–4.6), as a pure state
 * machine: the caller sends the request to `targets`, feeds back each replica's reply (or its
 * timeout, or the time via `tick`), and reads the decision.
 *
 * Targets: the N replicas of the preference list, each replica believed down replaced by the next
 * unused fallback (sloppy quorum); a write to a fallback carries a hint naming the replica it stands
 * in for. Decisions: a write succeeds at W acknowledgements, a read at R answers (a "not found" is
 * an answer); either fails as soon as too few targets are left to get there. The decision is taken
 * once and never changes; later replies are still recorded, so a read can compute read repair once
 * every target has answered (`isComplete`).
 *
 * R + W > N is not enforced (a client may choose weaker consistency); `isStrict` says whether a
 * request's reads are guaranteed to overlap its writes (only without sloppy substitutions).
 */
import { InvalidOptionError, InvalidQuorumError, InvalidReplicaListError } from './errors.js';
import { DEFAULT_REQUEST_TIMEOUT_MS, MAX_REPLICATION_FACTOR, MAX_REQUEST_TIMEOUT_MS } from './limits.js';
import { isStale, mergeAll, resolve, type ReadResult, type VersionedValue } from './versioned-value.js';

export interface QuorumSettings {
  readonly n: number;
  readonly r: number;
  readonly w: number;
}

/** Throws InvalidQuorumError unless 1 ≤ R, W ≤ N ≤ min(replicasAvailable, MAX_REPLICATION_FACTOR). */
export function validateQuorum(settings: QuorumSettings, replicasAvailable: number): QuorumSettings {
  const { n, r, w } = settings;
  const fail = (reason: string): never => {
    throw new InvalidQuorumError(n, r, w, replicasAvailable, reason);
  };
  for (const [name, value] of [['N', n], ['R', r], ['W', w]] as const) {
    if (!Number.isSafeInteger(value) || value < 1) fail(`${name} must be a positive integer`);
  }
  if (n > MAX_REPLICATION_FACTOR) fail(`N exceeds the limit of ${MAX_REPLICATION_FACTOR}`);
  if (n > replicasAvailable) fail('N exceeds the replicas available');
  if (r > n) fail('R exceeds N');
  if (w > n) fail('W exceeds N');
  return settings;
}

/** True when every read quorum overlaps every write quorum (R + W > N). */
export function isStrict(settings: QuorumSettings): boolean {
  return settings.r + settings.w > settings.n;
}

/** A replica to send the request to; `hintFor` names the replica a fallback stands in for. */
export interface Target {
  readonly node: string;
  readonly hintFor?: string;
}

export interface TargetPlanInput {
  /** The key's preference list (ring.preferenceList(key, n)); its first N are the replicas. */
  readonly preferenceList: readonly string[];
  /** Nodes after them on the ring (ring.fallbacks(key, n)), in order. */
  readonly fallbacks: readonly string[];
  /** Nodes believed down (e.g. from the failure detector). */
  readonly down: ReadonlySet<string>;
  readonly quorum: QuorumSettings;
  /** Replace down replicas by fallbacks (sloppy quorum). Default true. */
  readonly sloppy?: boolean;
}

/** The nodes to contact: live replicas as themselves, down replicas replaced by live fallbacks in
 * ring order (down replicas with no fallback left are skipped). Validates N, R, W. */
export function planTargets(input: TargetPlanInput): Target[] {
  const { preferenceList, fallbacks, down, quorum } = input;
  assertDistinct(preferenceList, fallbacks);
  validateQuorum(quorum, preferenceList.length);
  const spare = (input.sloppy ?? true) ? fallbacks.filter((node) => !down.has(node)) : [];
  const targets: Target[] = [];
  for (const replica of preferenceList.slice(0, quorum.n)) {
    if (!down.has(replica)) targets.push({ node: replica });
    else {
      const fallback = spare.shift();
      if (fallback !== undefined) targets.push({ node: fallback, hintFor: replica });
    }
  }
  return targets;
}

function assertDistinct(preferenceList: readonly string[], fallbacks: readonly string[]): void {
  const seen = new Set<string>();
  for (const node of [...preferenceList, ...fallbacks]) {
    if (seen.has(node)) throw new InvalidReplicaListError(node, 'listed twice (preference list and fallbacks must be distinct nodes)');
    seen.add(node);
  }
}

/** A replica's answer: `value` is its copy for a read (undefined: not found), absent for a write. */
export type ReplicaReply = { readonly kind: 'ok'; readonly value?: VersionedValue } | { readonly kind: 'error'; readonly code: string } | { readonly kind: 'timeout' };

export type RequestStatus = 'pending' | 'succeeded' | 'failed';

export interface RequestFailure {
  readonly reason: 'too-few-targets' | 'too-few-replies';
  readonly required: number;
  readonly succeeded: number;
  readonly errors: readonly { readonly node: string; readonly code: string }[];
}

export interface RequestOptions extends TargetPlanInput {
  readonly startedAtMs: number;
  /** Default DEFAULT_REQUEST_TIMEOUT_MS, at most MAX_REQUEST_TIMEOUT_MS. */
  readonly timeoutMs?: number;
}

/** What both kinds of request share: targets, replies, the decision and the deadline. */
abstract class QuorumRequest {
  readonly targets: readonly Target[];
  readonly required: number;
  readonly deadlineMs: number;
  readonly quorum: QuorumSettings;
  protected readonly replies = new Map<string, ReplicaReply>();
  readonly #byNode: ReadonlyMap<string, Target>;
  #status: RequestStatus = 'pending';
  #failure: RequestFailure | undefined;

  protected constructor(options: RequestOptions, required: (quorum: QuorumSettings) => number) {
    const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_REQUEST_TIMEOUT_MS) {
      throw new InvalidOptionError('timeoutMs', timeoutMs, `an integer in [1, ${MAX_REQUEST_TIMEOUT_MS}]`);
    }
    if (!Number.isSafeInteger(options.startedAtMs)) throw new InvalidOptionError('startedAtMs', options.startedAtMs, 'an integer number of milliseconds');
    this.targets = planTargets(options);
    this.quorum = options.quorum;
    this.required = required(options.quorum);
    this.deadlineMs = options.startedAtMs + timeoutMs;
    this.#byNode = new Map(this.targets.map((target) => [target.node, target]));
    if (this.targets.length < this.required) this.#decide('failed', 'too-few-targets');
  }

  get status(): RequestStatus {
    return this.#status;
  }

  /** Why the request failed (undefined unless status is 'failed'). */
  get failure(): RequestFailure | undefined {
    return this.#failure;
  }

  /** True when the request used a fallback: even with R + W > N it may miss a recent write. */
  get isSloppy(): boolean {
    return this.targets.some((target) => target.hintFor !== undefined);
  }

  /** True when R + W > N and every target is a real replica. */
  get isStrict(): boolean {
    return isStrict(this.quorum) && !this.isSloppy;
  }

  /** Targets that have not answered yet. */
  get outstanding(): string[] {
    return this.targets.filter((target) => !this.replies.has(target.node)).map((target) => target.node);
  }

  /** True once every target has answered or timed out. */
  get isComplete(): boolean {
    return this.replies.size === this.targets.length;
  }

  /** Records a reply. False (and nothing changes) for a node that is not a target or already answered. */
  receive(node: string, reply: ReplicaReply): boolean {
    if (!this.#byNode.has(node) || this.replies.has(node)) return false;
    this.replies.set(node, reply);
    this.#reconsider();
    return true;
  }

  /** Counts every target still silent at `nowMs` ≥ deadlineMs as timed out. */
  tick(nowMs: number): void {
    if (nowMs < this.deadlineMs) return;
    for (const node of this.outstanding) this.replies.set(node, { kind: 'timeout' });
    this.#reconsider();
  }

  protected targetOf(node: string): Target | undefined {
    return this.#byNode.get(node);
  }

  protected get okCount(): number {
    let count = 0;
    for (const reply of this.replies.values()) if (reply.kind === 'ok') count++;
    return count;
  }

  #reconsider(): void {
    if (this.#status !== 'pending') return;
    const ok = this.okCount;
    if (ok >= this.required) this.#decide('succeeded');
    else if (ok + this.outstanding.length < this.required) this.#decide('failed', 'too-few-replies');
  }

  #decide(status: 'succeeded' | 'failed', reason?: RequestFailure['reason']): void {
    this.#status = status;
    if (status === 'failed' && reason !== undefined) {
      const errors = [...this.replies].flatMap(([node, reply]) => (reply.kind === 'ok' ? [] : [{ node, code: reply.kind === 'error' ? reply.code : 'TIMEOUT' }]));
      this.#failure = { reason, required: this.required, succeeded: this.okCount, errors };
    }
  }
}

/** A write: succeeds at W acknowledgements (hinted ones count, as in Dynamo). */
export class WriteRequest extends QuorumRequest {
  constructor(options: RequestOptions) {
    super(options, (quorum) => quorum.w);
  }

  /** Acknowledgements so far. */
  get acks(): number {
    return this.okCount;
  }

  /** Acknowledgements from fallbacks holding a hint. */
  get hintedAcks(): number {
    let count = 0;
    for (const [node, reply] of this.replies) if (reply.kind === 'ok' && this.targetOf(node)?.hintFor !== undefined) count++;
    return count;
  }
}

/** A read: succeeds at R answers; merges the copies and names the replicas to repair. */
export class ReadRequest extends QuorumRequest {
  constructor(options: RequestOptions) {
    super(options, (quorum) => quorum.r);
  }

  /** The merge of every copy received so far (undefined: none of them had the key). */
  merged(): VersionedValue | undefined {
    return mergeAll([...this.replies.values()].map((reply) => (reply.kind === 'ok' ? reply.value : undefined)));
  }

  /** What the client sees at `nowMs` (undefined: not found). */
  result(nowMs: number): ReadResult | undefined {
    const merged = this.merged();
    return merged === undefined ? undefined : resolve(merged, nowMs);
  }

  /**
   * Targets that answered with an older copy or none (replicas that failed or timed out are left to
   * hints and anti-entropy). Send each the merged value; a fallback's repair keeps its hint. Call
   * when `isComplete` to repair every replica that answered.
   */
  readRepairs(): Target[] {
    const merged = this.merged();
    if (merged === undefined) return [];
    const repairs: Target[] = [];
    for (const [node, reply] of this.replies) {
      const target = this.targetOf(node);
      if (reply.kind === 'ok' && target !== undefined && isStale(reply.value, merged)) repairs.push(target);
    }
    return repairs;
  }
}
