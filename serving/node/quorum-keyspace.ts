/**
 * The Keyspace of the Redis layer over the cluster: any node coordinates any request.
 * - get/set/delete: Dynamo-style quorums over the key's preference list (N replicas, R or W of
 *   them must answer; a down replica is replaced by the next healthy node, which keeps the
 *   write as a hint for it). Reads merge the copies (last write wins by HLC) and repair the
 *   replicas that answered with an older copy, in the background.
 * - compareAndSet: single-decree Paxos over the key's N replicas (cas-paxos.ts).
 * - scan/size: walk ring partitions, asking one live replica of each.
 * R + W > N gives read-your-writes only while no fallback stands in (a sloppy quorum may miss
 * a write until its hint is handed back), as in Dynamo.
 */
import { HybridLogicalClock } from '../../core/clock/hybrid-logical-clock.js';
import { monotonicNowMs } from '../../core/clock/monotonic-clock.js';
import { DeadlineWheel } from '../../core/net/deadline-wheel.js';
import type { CompareAndSetResult, Consistency, Entry, Keyspace, ScanPage } from '../keyspace/index.js';
import { DEFAULT_N, DEFAULT_R, DEFAULT_REQUEST_TIMEOUT_MS, DEFAULT_TOMBSTONE_GRACE_MS, ReadRequest, WriteRequest, liveValue, lwwWrite, resolve, tombstone, type QuorumSettings, type VersionedValue } from '../quorum/index.js';
import { compareAndSetByPaxos } from './cas-paxos.js';
import type { ClusterIO } from './cluster-io.js';
import { QuorumUnavailableError } from './errors.js';
import { decodeKeyList, decodeOptionalValue, decodeU32, encodePut } from './peer-messages.js';
import { PeerOp } from './peer-rpc.js';

/** Granularity of request deadlines: a silent replica is given up on up to this much late. */
const DEADLINE_RESOLUTION_MS = 50;
/** A request whose targets failed is tried once more, on fallbacks for the suspects. */
const QUORUM_ATTEMPTS = 2;

export interface QuorumKeyspaceOptions {
  n?: number;
  r?: number;
  w?: number;
  requestTimeoutMs?: number;
  now?: () => number;
  /** The clock that stamps writes; a fresh one on `now` by default (serving nodes pass a DurableHybridLogicalClock). */
  clock?: HybridLogicalClock;
}

export class QuorumKeyspace implements Keyspace {
  readonly defaults: QuorumSettings;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  readonly clock: HybridLogicalClock;
  /** Request deadlines share bucketed timers (one per DEADLINE_RESOLUTION_MS, not one per request). */
  private readonly deadlines = new DeadlineWheel<() => void>(DEADLINE_RESOLUTION_MS, (expire) => expire());

  constructor(
    private readonly io: ClusterIO,
    options: QuorumKeyspaceOptions = {},
  ) {
    this.defaults = { n: options.n ?? DEFAULT_N, r: options.r ?? DEFAULT_R, w: options.w ?? options.r ?? DEFAULT_R };
    this.timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.now = options.now ?? Date.now;
    this.clock = options.clock ?? new HybridLogicalClock({ physicalClockMs: this.now });
  }

  async get(key: Buffer, consistency?: Consistency): Promise<Entry | undefined> {
    const copy = await this.read(key, consistency);
    if (copy === undefined) return undefined;
    const result = resolve(copy, this.now());
    const value = result.mode === 'lww' ? result.value : result.values[0];
    return value === undefined ? undefined : toEntry(value.value, value.expiresAtMs);
  }

  async getAll(key: Buffer, consistency?: Consistency): Promise<Entry[]> {
    const copy = await this.read(key, consistency);
    if (copy === undefined) return [];
    const result = resolve(copy, this.now());
    const values = result.mode === 'lww' ? (result.value ? [result.value] : []) : result.values;
    return values.map((value) => toEntry(value.value, value.expiresAtMs));
  }

  async set(key: Buffer, entry: Entry, consistency?: Consistency): Promise<void> {
    const nowMs = this.now();
    const payload = entry.expiresAtMs !== undefined && entry.expiresAtMs <= nowMs ? tombstone(nowMs + DEFAULT_TOMBSTONE_GRACE_MS) : liveValue(entry.value, entry.expiresAtMs);
    await this.write(key, lwwWrite(this.clock.now(), this.io.nodeId, payload), consistency);
  }

  async delete(key: Buffer, consistency?: Consistency): Promise<void> {
    await this.write(key, lwwWrite(this.clock.now(), this.io.nodeId, tombstone(this.now() + DEFAULT_TOMBSTONE_GRACE_MS)), consistency);
  }

  compareAndSet(key: Buffer, expected: Entry | undefined, next: Entry | undefined, consistency?: Consistency): Promise<CompareAndSetResult> {
    const quorum = this.settings(consistency);
    const replicas = this.io.membership.snapshot.ring.preferenceList(key, quorum.n);
    return compareAndSetByPaxos({ io: this.io, clock: this.clock, now: this.now, key, replicas, expected, next, timeoutMs: this.timeoutMs });
  }

  async scan(cursor: string, count: number): Promise<ScanPage> {
    const ring = this.io.membership.snapshot.ring;
    let partition = Number(cursor);
    const keys: Buffer[] = [];
    while (partition < ring.partitionCount && keys.length < Math.max(1, count)) {
      keys.push(...(await this.keysOfPartition(partition)));
      partition++;
    }
    return { cursor: partition >= ring.partitionCount ? '0' : String(partition), keys };
  }

  /** Keys whose first replica is a live node, counted by that node (a down owner's keys are missed). */
  async size(): Promise<number> {
    const { live } = this.io.membership.snapshot;
    const counts = await Promise.all([...live.keys()].map((node) => this.io.call(node, PeerOp.Size, Buffer.alloc(0)).then(decodeU32, () => 0)));
    return counts.reduce((sum, count) => sum + count, 0);
  }

  private async keysOfPartition(partition: number): Promise<Buffer[]> {
    const replicas = this.io.membership.snapshot.ring.replicasOfPartition(partition, this.defaults.n);
    const key = Buffer.alloc(4);
    key.writeUInt32BE(partition);
    for (const node of replicas.filter((candidate) => this.io.isUp(candidate))) {
      try {
        return decodeKeyList(await this.io.call(node, PeerOp.ReadKeys, key));
      } catch {
        // try the next replica
      }
    }
    return [];
  }

  /**
   * The quorum for one request. A ring smaller than N (a node alone in development, a cluster
   * still growing) holds each key on every node: N, R and W shrink to the ring's size rather
   * than fail every request.
   */
  private settings(consistency: Consistency | undefined): QuorumSettings {
    const size = this.io.membership.snapshot.ring.size;
    const n = Math.min(consistency?.n ?? this.defaults.n, size);
    return { n, r: Math.min(consistency?.r ?? this.defaults.r, n), w: Math.min(consistency?.w ?? this.defaults.w, n) };
  }

  private targetsInput(key: Buffer, quorum: QuorumSettings) {
    const ring = this.io.membership.snapshot.ring;
    return { preferenceList: ring.preferenceList(key, quorum.n), fallbacks: ring.fallbacks(key, quorum.n), down: this.io.down(), quorum, startedAtMs: monotonicNowMs(), timeoutMs: this.timeoutMs };
  }

  /**
   * One write; if it fails because targets did not answer, once more: those targets are now
   * suspect (cluster-io.ts), so the retry goes to fallbacks instead (Dynamo's sloppy quorum
   * for a node that died or was cut off before coord noticed). Writes are idempotent merges,
   * so a copy that landed in the first attempt does no harm.
   */
  private async write(key: Buffer, value: VersionedValue, consistency: Consistency | undefined, attempt = 1): Promise<void> {
    const request = new WriteRequest(this.targetsInput(key, this.settings(consistency)));
    await this.collect(request, (target) => this.io.call(target.node, PeerOp.Put, key, encodePut(value, target.hintFor)).then(() => ({ kind: 'ok' as const })));
    if (request.status === 'succeeded') return;
    if (attempt < QUORUM_ATTEMPTS && (request.failure?.errors.length ?? 0) > 0) return this.write(key, value, consistency, attempt + 1);
    throw failure('write', request);
  }

  private async read(key: Buffer, consistency: Consistency | undefined, attempt = 1): Promise<VersionedValue | undefined> {
    const request = new ReadRequest(this.targetsInput(key, this.settings(consistency)));
    const done = this.collect(request, (target) => this.io.call(target.node, PeerOp.Get, key).then((body) => ({ kind: 'ok' as const, value: decodeOptionalValue(body) })));
    await done.decided;
    if (request.status !== 'succeeded') {
      if (attempt < QUORUM_ATTEMPTS && (request.failure?.errors.length ?? 0) > 0) return this.read(key, consistency, attempt + 1);
      throw failure('read', request);
    }
    // Read repair once every replica has answered (or timed out): stale copies get the merge.
    void done.complete.then(() => {
      const merged = request.merged();
      if (merged === undefined) return;
      for (const target of request.readRepairs()) void this.io.call(target.node, PeerOp.Put, key, encodePut(merged, target.hintFor)).catch(() => undefined);
    });
    return request.merged();
  }

  /** Sends to every target; `decided` resolves when the request succeeds or fails, `complete` when all answered. */
  private collect(request: ReadRequest | WriteRequest, send: (target: { node: string; hintFor?: string }) => Promise<{ kind: 'ok'; value?: VersionedValue | undefined }>): { decided: Promise<void>; complete: Promise<void> } & PromiseLike<void> {
    let markDecided!: () => void;
    let markComplete!: () => void;
    const decided = new Promise<void>((resolveDecided) => (markDecided = resolveDecided));
    const complete = new Promise<void>((resolveComplete) => (markComplete = resolveComplete));
    const check = () => {
      if (request.status !== 'pending') markDecided();
      if (request.isComplete) {
        this.deadlines.remove(expire);
        markDecided();
        markComplete();
      }
    };
    const expire = () => {
      request.tick(request.deadlineMs);
      check();
    };
    this.deadlines.add(expire, request.deadlineMs);
    check();
    for (const target of request.targets) {
      send(target).then(
        (reply) => request.receive(target.node, reply.value === undefined ? { kind: 'ok' } : { kind: 'ok', value: reply.value }),
        (error: unknown) => request.receive(target.node, { kind: 'error', code: (error as { code?: string }).code ?? 'ERROR' }),
      ).finally(check);
    }
    return { decided, complete, then: (onFulfilled, onRejected) => decided.then(onFulfilled, onRejected) };
  }
}

function toEntry(value: Buffer, expiresAtMs: number | undefined): Entry {
  return expiresAtMs === undefined ? { value } : { value, expiresAtMs };
}

function failure(operation: 'read' | 'write', request: ReadRequest | WriteRequest): QuorumUnavailableError {
  const failed = request.failure;
  return new QuorumUnavailableError(operation, request.required, failed?.succeeded ?? 0, failed?.errors ?? []);
}
