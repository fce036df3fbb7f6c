/**
 * A member of a coordination ensemble: the Raft node, its durable log, the data tree it applies
 * committed writes to, and the links to the other members. The only place where Raft meets
 * time, files and sockets: a timer ticks the node, and each Ready is persisted (fsync), sent and
 * applied in that order before the node is told to advance.
 */
import type { Logger } from 'pino';
import { silentLogger } from '../../telemetry/logger.js';
import { decodeMessage, encodeMessage, NotLeaderError, RaftNode, type Entry, type Ready } from '../raft/index.js';
import { RaftDiskStorage } from '../storage/index.js';
import { DataTree, type Id, type WriteOp } from '../tree/index.js';
import type { PeerSecret } from '../../net/peer-auth.js';
import { PeerFrameKind, PeerTransport, type PeerAddress } from './peer-transport.js';
import { ReplicationUnavailableError, type AppliedWrite, type Replica, type ReplicaStatus } from './replica.js';
import { SessionExpiry } from './session-expiry.js';
import { decodeLoggedWrite, encodeLoggedWrite, TxnDecodeError, type LoggedWrite } from './txn-codec.js';
import { AppliedWaiters } from './applied-waiters.js';

export interface RaftReplicaOptions {
  serverId: number;
  /** Peer (server-to-server) addresses of every member, this one included. One member: no peers. */
  members: ReadonlyMap<number, PeerAddress>;
  dataDir: string;
  tickMs?: number;
  electionTicks?: number;
  heartbeatTicks?: number;
  /** Take a snapshot of the tree and compact the log after this many applied entries. */
  snapshotEveryEntries?: number;
  logger?: Logger;
  /** Storage failed (disk full, I/O error): the replica has stopped; the owner should stop too. */
  onStorageFailure?: (error: unknown) => void;
  /** The cluster secret members prove to each other; absent: the peer port is unauthenticated. */
  peerSecret?: PeerSecret;
}

const DEFAULT_TICK_MS = 50;
const DEFAULT_ELECTION_TICKS = 10;
const DEFAULT_HEARTBEAT_TICKS = 2;
const DEFAULT_SNAPSHOT_EVERY_ENTRIES = 20_000;
/** How often followers report session activity, and the leader looks for expired containers/TTLs. */
const HOUSEKEEPING_EVERY_MS = 500;
/** A write that is not applied within this long fails; the client sees a lost connection. */
const WRITE_TIMEOUT_MS = 15_000;
/** A write arriving while no leader is known waits this long for an election before failing. */
const LEADER_WAIT_MS = 5_000;

/** zxid = Raft term in the high 32 bits, log index in the low 32 (ZooKeeper's epoch + counter). */
export function zxidOf(term: number, index: number): bigint {
  return (BigInt(term) << 32n) | BigInt(index);
}

export class RaftReplica implements Replica {
  private treeValue: DataTree;
  private readonly node: RaftNode;
  private readonly transport: PeerTransport | undefined;
  private readonly listeners: Array<(applied: AppliedWrite) => void> = [];
  private readonly waiters = new AppliedWaiters(WRITE_TIMEOUT_MS);
  private readonly expiry: SessionExpiry;
  private readonly touches = new Map<bigint, number>();
  private readonly leaderWaiters: Array<() => void> = [];
  private ticker: NodeJS.Timeout | undefined;
  private housekeeping: NodeJS.Timeout | undefined;
  private processing: Promise<void> | undefined;
  private again = false;
  private appliedIndex = 0;
  private appliedTerm = 0;
  private snapshotIndex = 0;
  private closed = false;
  private readonly logger: Logger;

  private constructor(
    private readonly options: RaftReplicaOptions,
    private readonly storage: RaftDiskStorage,
    restored: Awaited<ReturnType<typeof RaftDiskStorage.open>>['restored'],
  ) {
    this.logger = options.logger ?? silentLogger();
    const peers = [...options.members.keys()];
    if (!peers.includes(options.serverId)) peers.push(options.serverId);
    this.node = new RaftNode(
      {
        id: options.serverId, peers, electionTicks: options.electionTicks ?? DEFAULT_ELECTION_TICKS, heartbeatTicks: options.heartbeatTicks ?? DEFAULT_HEARTBEAT_TICKS, random: Math.random,
        onFollowerLogLost: (loss) => this.logger.error(loss, 'a follower lost log entries it had acknowledged (its disk dropped fsynced data); re-sending them from its hint. Check that server\'s disk and filesystem'),
      },
      restored,
    );
    this.treeValue = restored?.snapshot ? DataTree.deserialize(Buffer.from(restored.snapshot.data)) : new DataTree();
    this.appliedIndex = this.snapshotIndex = restored?.snapshot?.index ?? 0;
    this.appliedTerm = restored?.snapshot?.term ?? 0;
    this.expiry = new SessionExpiry(this, HOUSEKEEPING_EVERY_MS);
    const self = options.members.get(options.serverId);
    const others = new Map([...options.members].filter(([id]) => id !== options.serverId));
    if (others.size > 0) {
      if (self === undefined) throw new Error(`members must include this server (${options.serverId}) with its peer address`);
      this.transport = new PeerTransport(self, others, { onRaft: (payload) => this.onRaft(payload), onForward: (payload) => this.onForward(payload), onTouches: (payload) => this.onTouches(payload) }, this.logger, { secret: options.peerSecret, serverId: options.serverId });
    }
  }

  static async start(options: RaftReplicaOptions): Promise<RaftReplica> {
    const { storage, restored } = await RaftDiskStorage.open(options.dataDir);
    const replica = new RaftReplica(options, storage, restored);
    await replica.transport?.listen();
    replica.ticker = setInterval(() => {
      replica.node.tick();
      replica.kick();
    }, options.tickMs ?? DEFAULT_TICK_MS);
    replica.housekeeping = setInterval(() => replica.doHousekeeping(), HOUSEKEEPING_EVERY_MS);
    replica.kick();
    return replica;
  }

  get serverId(): number {
    return this.options.serverId;
  }

  get tree(): DataTree {
    return this.treeValue;
  }

  onApplied(listener: (applied: AppliedWrite) => void): void {
    this.listeners.push(listener);
  }

  status(): ReplicaStatus {
    const raftRole = this.node.role === 'leader' ? 'leader' : this.node.role === 'follower' ? 'follower' : 'candidate';
    // A single server reports "standalone" (as ZooKeeper does) once it has elected itself.
    const role = this.options.members.size <= 1 && raftRole === 'leader' ? 'standalone' : raftRole;
    return { role, leaderId: this.node.leaderId, serverId: this.serverId, term: this.node.term, commitIndex: this.node.commitIndex };
  }

  async write(op: WriteOp, sessionId: bigint, authIds: Id[]): Promise<AppliedWrite> {
    if (this.closed) throw new ReplicationUnavailableError('server is shutting down');
    if (this.node.leaderId === 0) await this.leaderKnown();
    if (this.closed) throw new ReplicationUnavailableError('server is shutting down');
    if (this.node.role === 'leader') return this.proposeLocally(op, sessionId, authIds);
    const leaderId = this.node.leaderId;
    if (leaderId === 0 || this.transport === undefined) throw new ReplicationUnavailableError('no leader is known right now');
    const answer = await this.transport.request(leaderId, PeerFrameKind.forward, encodeLoggedWrite({ op, sessionId, authIds, timeMs: 0 })).catch((error: Error) => {
      throw new ReplicationUnavailableError(`leader ${leaderId} unreachable: ${error.message}`);
    });
    if (answer.length < 16) throw new ReplicationUnavailableError(`leader ${leaderId} refused: ${answer.toString()}`);
    return this.waiters.wait(answer.readDoubleBE(0), answer.readDoubleBE(8));
  }

  touchSession(sessionId: bigint, timeoutMs: number): void {
    if (this.node.role === 'leader') this.expiry.touch(sessionId, timeoutMs);
    else this.touches.set(sessionId, timeoutMs);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.ticker);
    clearInterval(this.housekeeping);
    this.expiry.stop();
    this.waiters.failAll(new ReplicationUnavailableError('server is shutting down'));
    // Writes waiting for an election go on (and fail: closed) now, not after their timer.
    for (const waiter of this.leaderWaiters.splice(0)) waiter();
    await this.processing;
    await this.transport?.close();
    await this.storage.close();
  }

  /** Waits (bounded) for an election to finish, so a write during one is delayed, not failed. */
  private leaderKnown(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, LEADER_WAIT_MS);
      const waiter = () => done();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.leaderWaiters.push(waiter);
    });
  }

  private proposeLocally(op: WriteOp, sessionId: bigint, authIds: Id[]): Promise<AppliedWrite> {
    let position;
    try {
      position = this.node.propose(encodeLoggedWrite({ op, sessionId, authIds, timeMs: Date.now() }));
    } catch (error) {
      if (error instanceof NotLeaderError) throw new ReplicationUnavailableError('leadership lost');
      throw error;
    }
    this.kick();
    return this.waiters.wait(position.index, position.term);
  }

  /** Leader side of a follower's forwarded write: propose it, answer with (index, term). */
  private async onForward(payload: Buffer): Promise<Buffer> {
    if (this.node.role !== 'leader') return Buffer.from('not leader');
    let position;
    try {
      position = this.node.propose(encodeLoggedWrite({ ...decodeLoggedWrite(payload), timeMs: Date.now() }));
    } catch (error) {
      // Refused with an answer, not a dropped connection: the link also carries that member's Raft
      // traffic. Refusals stay under 16 bytes, the size of a position.
      this.logger.warn({ err: error }, 'refusing a forwarded write');
      return Buffer.from(error instanceof TxnDecodeError ? 'bad write' : 'not accepted');
    }
    this.kick();
    const answer = Buffer.alloc(16);
    answer.writeDoubleBE(position.index, 0);
    answer.writeDoubleBE(position.term, 8);
    return answer;
  }

  private onRaft(payload: Buffer): void {
    try {
      const message = decodeMessage(payload);
      // A snapshot is applied after it is persisted: one that does not decode as a tree would stop
      // this server in its Ready loop and again at every start. Checked here, before Raft keeps it.
      if (message.type === 'InstallSnapshot' && this.options.members.has(message.from)) DataTree.deserialize(Buffer.from(message.snapshot.data));
      this.node.step(message);
    } catch (error) {
      this.logger.warn({ err: error }, 'dropping undecodable raft message');
      return;
    }
    this.kick();
  }

  private onTouches(payload: Buffer): void {
    if (this.node.role !== 'leader') return;
    // A touch says a session is alive; its time-out is the one the tree recorded at creation, not
    // the one in the frame (a touch with time-out 0 would expire the session), and a session the
    // tree does not hold is ignored (the leader touches it itself when it applies its creation).
    const timeouts = new Map(this.tree.sessions().map(({ sessionId, timeoutMs }) => [sessionId, timeoutMs]));
    for (let offset = 0; offset + 12 <= payload.length; offset += 12) {
      const sessionId = payload.readBigInt64BE(offset);
      const timeoutMs = timeouts.get(sessionId);
      if (timeoutMs !== undefined) this.expiry.touch(sessionId, timeoutMs);
    }
  }

  private doHousekeeping(): void {
    if (this.node.role === 'leader') {
      for (const op of this.tree.cleanupCandidates(Date.now())) void this.proposeLocally(op, 0n, []).catch(() => undefined);
      return;
    }
    const leaderId = this.node.leaderId;
    if (this.touches.size === 0 || leaderId === 0 || this.transport === undefined) return;
    const payload = Buffer.alloc(12 * this.touches.size);
    let offset = 0;
    for (const [sessionId, timeoutMs] of this.touches) {
      payload.writeBigInt64BE(sessionId, offset);
      payload.writeInt32BE(timeoutMs, offset + 8);
      offset += 12;
    }
    this.touches.clear();
    this.transport.send(leaderId, PeerFrameKind.touches, payload);
  }

  /** Runs the Ready loop, once at a time; a kick during a run makes it go round again. */
  private kick(): void {
    if (this.processing) {
      this.again = true;
      return;
    }
    this.processing = this.processReadies()
      .catch((error: unknown) => {
        // A failed fsync leaves us unable to promise durability: stop rather than lie.
        this.logger.fatal({ err: error }, 'raft storage failed; shutting this server down');
        this.closed = true;
        clearInterval(this.ticker);
        setImmediate(() => this.options.onStorageFailure?.(error));
      })
      .finally(() => {
        this.processing = undefined;
        if (this.again && !this.closed) {
          this.again = false;
          this.kick();
        }
      });
  }

  private async processReadies(): Promise<void> {
    while (this.node.hasReady() && !this.closed) {
      const ready = this.node.ready();
      await this.storage.persist(ready);
      if (ready.snapshot) this.restoreSnapshot(ready);
      for (const message of ready.messages) this.transport?.send(message.to, PeerFrameKind.raft, encodeMessage(message));
      for (const entry of ready.committedEntries) this.apply(entry);
      if (ready.softState) this.onRoleChange(ready.softState.role);
      if (this.node.leaderId !== 0) for (const waiter of this.leaderWaiters.splice(0)) waiter();
      this.node.advance(ready);
      await this.maybeSnapshot();
    }
  }

  private restoreSnapshot(ready: Ready): void {
    const snapshot = ready.snapshot!;
    this.treeValue = DataTree.deserialize(Buffer.from(snapshot.data));
    this.appliedIndex = this.snapshotIndex = snapshot.index;
    this.appliedTerm = snapshot.term;
    this.logger.info({ index: snapshot.index }, 'restored the tree from a leader snapshot');
  }

  private apply(entry: Entry): void {
    if (entry.index <= this.appliedIndex) return;
    this.appliedIndex = entry.index;
    this.appliedTerm = entry.term;
    if (entry.kind !== 'normal') {
      this.waiters.skip(entry.index, entry.term);
      return;
    }
    let write: LoggedWrite;
    try {
      write = decodeLoggedWrite(entry.data);
    } catch (error) {
      // Every replica decodes the same bytes the same way, so skipping keeps them identical; a
      // committed entry that throws here would otherwise stop every member, after every restart.
      this.logger.error({ err: error, index: entry.index, term: entry.term }, 'skipping a committed entry that is not a write');
      this.waiters.skip(entry.index, entry.term);
      return;
    }
    const ctx = { zxid: zxidOf(entry.term, entry.index), timeMs: write.timeMs, sessionId: write.sessionId, authIds: write.authIds };
    const outcome = this.treeValue.apply(write.op, ctx);
    if (write.op.type === 'closeSession') this.expiry.forget(write.op.sessionId);
    if (write.op.type === 'createSession' && this.node.role === 'leader') this.expiry.touch(write.op.sessionId, write.op.timeoutMs);
    const applied = { op: write.op, ctx, outcome };
    for (const listener of this.listeners) listener(applied);
    this.waiters.applied(entry.index, entry.term, applied);
  }

  private onRoleChange(role: string): void {
    if (role === 'leader') this.expiry.start();
    else this.expiry.stop();
    this.logger.info({ role, term: this.node.term, leaderId: this.node.leaderId }, 'raft role changed');
  }

  private async maybeSnapshot(): Promise<void> {
    const every = this.options.snapshotEveryEntries ?? DEFAULT_SNAPSHOT_EVERY_ENTRIES;
    if (this.appliedIndex - this.snapshotIndex < every) return;
    const snapshot = this.node.compact(this.appliedIndex, this.treeValue.serialize());
    if (snapshot === undefined) return;
    await this.storage.compact(snapshot);
    this.snapshotIndex = snapshot.index;
  }
}
