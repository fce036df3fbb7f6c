/**
 * One consumer group's membership as a pure state machine, after Kafka's GroupCoordinator:
 *
 *   Empty ──join──▶ PreparingRebalance ──all joined / timeout──▶ CompletingRebalance
 *     ▲                 ▲        │ (no members left)                  │ leader's SyncGroup
 *     └─────────────────┼────────┘                                    ▼
 *                       └──── join with new metadata / leave / expiry ─ Stable
 *   Dead: the coordinator gave the group up (lost the offsets partition); every call answers
 *   COORDINATOR_NOT_AVAILABLE / NOT_COORDINATOR.
 *
 * No I/O and no clock: every call takes `nowMs`, and answers with effects — replies to JoinGroup
 * and SyncGroup requests that were parked (identified by the caller's `token`) and whether the
 * group's metadata must be stored. The coordinator around it owns sockets, timers
 * (`nextDeadlineMs()` → `tick(nowMs)`) and the `__consumer_offsets` log.
 *
 * Why joins park: a rebalance's JoinGroup answers only once every known member has rejoined (or
 * the rebalance timeout passed), so that the leader gets everybody's subscription at once.
 */
import { ErrorCode } from '../protocol/errors.js';
import { chooseProtocol, type GroupMember, type JoinGroupInput, type JoinReply, type SyncReply } from './member.js';

export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export interface GroupOptions {
  minSessionTimeoutMs: number;
  maxSessionTimeoutMs: number;
  initialRebalanceDelayMs: number;
  maxMembers: number;
  /** A fresh member id for a client (Kafka: `${clientId}-${uuid}`); injected to stay deterministic. */
  newMemberId: (clientId: string) => string;
}

export interface GroupEffects {
  joins: { token: number; reply: JoinReply }[];
  syncs: { token: number; reply: SyncReply }[];
  /** The group's generation or assignment changed: store its metadata. */
  store: boolean;
}

const noEffects = (): GroupEffects => ({ joins: [], syncs: [], store: false });
const joinError = (errorCode: number, memberId = ''): JoinReply => ({ errorCode, generationId: -1, protocolName: '', leader: '', memberId, members: [] });

/** What survives a coordinator move (stored in `__consumer_offsets`). */
export interface GroupSnapshot {
  groupId: string;
  protocolType: string | null;
  protocolName: string | null;
  generationId: number;
  leaderId: string | null;
  members: Omit<GroupMember, 'awaitingJoin' | 'awaitingSync' | 'sessionDeadlineMs'>[];
}

export class Group {
  state: GroupState = 'Empty';
  protocolType: string | null = null;
  protocolName: string | null = null;
  generationId = 0;
  leaderId: string | null = null;
  readonly members = new Map<string, GroupMember>();
  /** Member ids handed out with MEMBER_ID_REQUIRED (JoinGroup v4+) and their expiry. */
  private readonly pendingMembers = new Map<string, number>();
  private rebalanceDeadlineMs: number | null = null;
  /** The first rebalance of an empty group waits the whole initial delay even when everyone joined. */
  private initialDelay = false;

  constructor(
    readonly groupId: string,
    private readonly options: GroupOptions,
  ) {}

  static restore(snapshot: GroupSnapshot, options: GroupOptions, nowMs: number): Group {
    const group = new Group(snapshot.groupId, options);
    group.protocolType = snapshot.protocolType;
    group.protocolName = snapshot.protocolName;
    group.generationId = snapshot.generationId;
    group.leaderId = snapshot.leaderId;
    for (const member of snapshot.members) {
      group.members.set(member.memberId, { ...member, awaitingJoin: null, awaitingSync: null, sessionDeadlineMs: nowMs + member.sessionTimeoutMs });
    }
    // Members resume heartbeating; one that never comes back expires and triggers a rebalance.
    group.state = group.members.size === 0 ? 'Empty' : 'Stable';
    return group;
  }

  snapshot(): GroupSnapshot {
    const members = [...this.members.values()].map(({ awaitingJoin: _join, awaitingSync: _sync, sessionDeadlineMs: _deadline, ...stored }) => stored);
    return { groupId: this.groupId, protocolType: this.protocolType, protocolName: this.protocolName, generationId: this.generationId, leaderId: this.leaderId, members };
  }

  /** The earliest time `tick` has something to do, or null. */
  nextDeadlineMs(): number | null {
    const deadlines = [...this.pendingMembers.values()];
    for (const member of this.members.values()) if (member.awaitingJoin === null) deadlines.push(member.sessionDeadlineMs);
    if (this.rebalanceDeadlineMs !== null) deadlines.push(this.rebalanceDeadlineMs);
    return deadlines.length === 0 ? null : Math.min(...deadlines);
  }

  join(input: JoinGroupInput, token: number, nowMs: number): GroupEffects {
    const effects = noEffects();
    const refuse = (errorCode: number, memberId = input.memberId) => {
      effects.joins.push({ token, reply: joinError(errorCode, memberId) });
      return effects;
    };
    if (this.state === 'Dead') return refuse(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    if (input.sessionTimeoutMs < this.options.minSessionTimeoutMs || input.sessionTimeoutMs > this.options.maxSessionTimeoutMs) return refuse(ErrorCode.INVALID_SESSION_TIMEOUT);
    if (input.protocolType === '' || input.protocols.length === 0 || !this.supportsProtocols(input)) return refuse(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    if (input.memberId === '') {
      if (this.members.size + this.pendingMembers.size >= this.options.maxMembers) return refuse(ErrorCode.GROUP_MAX_SIZE_REACHED);
      const memberId = this.options.newMemberId(input.clientId);
      if (input.requireKnownMemberId) {
        // KIP-394: the client retries with this id, so a lost response never leaves a ghost member.
        this.pendingMembers.set(memberId, nowMs + input.sessionTimeoutMs);
        return refuse(ErrorCode.MEMBER_ID_REQUIRED, memberId);
      }
      return this.addMember({ ...input, memberId }, token, nowMs, effects);
    }
    if (this.pendingMembers.delete(input.memberId)) return this.addMember(input, token, nowMs, effects);
    const member = this.members.get(input.memberId);
    if (member === undefined) return refuse(ErrorCode.UNKNOWN_MEMBER_ID);
    return this.rejoin(member, input, token, nowMs, effects);
  }

  private supportsProtocols(input: JoinGroupInput): boolean {
    if (this.members.size === 0 || (this.members.size === 1 && this.members.has(input.memberId))) return true;
    if (input.protocolType !== this.protocolType) return false;
    const offered = new Set(input.protocols.map((protocol) => protocol.name));
    // Every other member must share at least one protocol with the joiner and with each other.
    const common = [...this.members.values()]
      .filter((member) => member.memberId !== input.memberId)
      .reduce((names, member) => new Set(member.protocols.map((protocol) => protocol.name).filter((name) => names.has(name))), offered);
    return common.size > 0;
  }

  private addMember(input: JoinGroupInput, token: number, nowMs: number, effects: GroupEffects): GroupEffects {
    const member: GroupMember = {
      memberId: input.memberId,
      groupInstanceId: input.groupInstanceId,
      clientId: input.clientId,
      clientHost: input.clientHost,
      sessionTimeoutMs: input.sessionTimeoutMs,
      rebalanceTimeoutMs: input.rebalanceTimeoutMs,
      protocols: input.protocols,
      assignment: Buffer.alloc(0),
      awaitingJoin: token,
      awaitingSync: null,
      sessionDeadlineMs: nowMs + input.sessionTimeoutMs,
    };
    if (this.members.size === 0) this.protocolType = input.protocolType;
    this.members.set(member.memberId, member);
    if (this.leaderId === null) this.leaderId = member.memberId;
    if (this.state === 'PreparingRebalance') return this.tryCompleteJoin(nowMs, effects);
    return this.prepareRebalance(nowMs, effects);
  }

  private rejoin(member: GroupMember, input: JoinGroupInput, token: number, nowMs: number, effects: GroupEffects): GroupEffects {
    const sameProtocols = sameMetadata(member.protocols, input.protocols);
    if (member.awaitingJoin !== null) effects.joins.push({ token: member.awaitingJoin, reply: joinError(ErrorCode.REBALANCE_IN_PROGRESS, member.memberId) });
    member.protocols = input.protocols;
    member.sessionTimeoutMs = input.sessionTimeoutMs;
    member.rebalanceTimeoutMs = input.rebalanceTimeoutMs;
    member.sessionDeadlineMs = nowMs + input.sessionTimeoutMs;
    if (this.state === 'PreparingRebalance') {
      member.awaitingJoin = token;
      return this.tryCompleteJoin(nowMs, effects);
    }
    // Nothing changed and no leader asking for the metadata: answer with the current generation.
    if (sameProtocols && (this.state === 'CompletingRebalance' || (this.state === 'Stable' && member.memberId !== this.leaderId))) {
      effects.joins.push({ token, reply: this.joinReplyFor(member) });
      return effects;
    }
    member.awaitingJoin = token;
    return this.prepareRebalance(nowMs, effects);
  }

  private prepareRebalance(nowMs: number, effects: GroupEffects): GroupEffects {
    if (this.state === 'CompletingRebalance') this.failPendingSyncs(ErrorCode.REBALANCE_IN_PROGRESS, effects);
    const rebalanceTimeoutMs = Math.max(0, ...[...this.members.values()].map((member) => member.rebalanceTimeoutMs));
    this.initialDelay = this.state === 'Empty';
    this.rebalanceDeadlineMs = nowMs + (this.initialDelay ? Math.min(this.options.initialRebalanceDelayMs, rebalanceTimeoutMs) : rebalanceTimeoutMs);
    this.state = 'PreparingRebalance';
    return this.tryCompleteJoin(nowMs, effects);
  }

  private failPendingSyncs(errorCode: number, effects: GroupEffects): void {
    for (const member of this.members.values()) {
      if (member.awaitingSync !== null) effects.syncs.push({ token: member.awaitingSync, reply: { errorCode, assignment: Buffer.alloc(0) } });
      member.awaitingSync = null;
      member.assignment = Buffer.alloc(0);
    }
  }

  private tryCompleteJoin(nowMs: number, effects: GroupEffects): GroupEffects {
    if (this.state !== 'PreparingRebalance' || this.rebalanceDeadlineMs === null) return effects;
    const everyoneJoined = this.pendingMembers.size === 0 && [...this.members.values()].every((member) => member.awaitingJoin !== null);
    const timedOut = nowMs >= this.rebalanceDeadlineMs;
    if (!timedOut && (!everyoneJoined || this.initialDelay)) return effects;
    for (const member of [...this.members.values()]) if (member.awaitingJoin === null) this.members.delete(member.memberId);
    this.rebalanceDeadlineMs = null;
    this.initialDelay = false;
    this.generationId += 1;
    effects.store = true;
    if (this.members.size === 0) {
      this.state = 'Empty';
      this.protocolName = null;
      this.leaderId = null;
      return effects;
    }
    if (this.leaderId === null || !this.members.has(this.leaderId)) this.leaderId = this.members.keys().next().value ?? null;
    this.protocolName = chooseProtocol([...this.members.values()]);
    this.state = 'CompletingRebalance';
    for (const member of this.members.values()) {
      effects.joins.push({ token: member.awaitingJoin as number, reply: this.joinReplyFor(member) });
      member.awaitingJoin = null;
      member.sessionDeadlineMs = nowMs + member.sessionTimeoutMs;
    }
    return effects;
  }

  private joinReplyFor(member: GroupMember): JoinReply {
    const isLeader = member.memberId === this.leaderId;
    const members = isLeader
      ? [...this.members.values()].map((each) => ({ memberId: each.memberId, groupInstanceId: each.groupInstanceId, metadata: each.protocols.find((protocol) => protocol.name === this.protocolName)?.metadata ?? Buffer.alloc(0) }))
      : [];
    return { errorCode: ErrorCode.NONE, generationId: this.generationId, protocolName: this.protocolName ?? '', leader: this.leaderId ?? '', memberId: member.memberId, members };
  }

  /** The error a member's generation-scoped request gets, or NONE (and its session refreshed). */
  private checkMember(memberId: string, generationId: number, nowMs: number): number {
    if (this.state === 'Dead') return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    const member = this.members.get(memberId);
    if (member === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (generationId !== this.generationId) return ErrorCode.ILLEGAL_GENERATION;
    member.sessionDeadlineMs = nowMs + member.sessionTimeoutMs;
    return ErrorCode.NONE;
  }

  sync(memberId: string, generationId: number, assignments: { memberId: string; assignment: Buffer }[], token: number, nowMs: number): GroupEffects {
    const effects = noEffects();
    const errorCode = this.checkMember(memberId, generationId, nowMs);
    const reply = (code: number, assignment: Buffer = Buffer.alloc(0)) => {
      effects.syncs.push({ token, reply: { errorCode: code, assignment } });
      return effects;
    };
    if (errorCode !== ErrorCode.NONE) return reply(errorCode);
    const member = this.members.get(memberId) as GroupMember;
    if (this.state === 'PreparingRebalance') return reply(ErrorCode.REBALANCE_IN_PROGRESS);
    if (this.state === 'Stable') return reply(ErrorCode.NONE, member.assignment);
    if (member.awaitingSync !== null) effects.syncs.push({ token: member.awaitingSync, reply: { errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: Buffer.alloc(0) } });
    member.awaitingSync = token;
    if (memberId !== this.leaderId) return effects;
    // The leader's assignment: members it forgot get nothing; ids not in the group are ignored.
    const byMember = new Map(assignments.map((entry) => [entry.memberId, entry.assignment]));
    for (const each of this.members.values()) each.assignment = byMember.get(each.memberId) ?? Buffer.alloc(0);
    this.state = 'Stable';
    effects.store = true;
    for (const each of this.members.values()) {
      if (each.awaitingSync !== null) effects.syncs.push({ token: each.awaitingSync, reply: { errorCode: ErrorCode.NONE, assignment: each.assignment } });
      each.awaitingSync = null;
    }
    return effects;
  }

  heartbeat(memberId: string, generationId: number, nowMs: number): number {
    const errorCode = this.checkMember(memberId, generationId, nowMs);
    if (errorCode !== ErrorCode.NONE) return errorCode;
    return this.state === 'PreparingRebalance' ? ErrorCode.REBALANCE_IN_PROGRESS : ErrorCode.NONE;
  }

  /** Whether a member may commit offsets now: NONE, or the error OffsetCommit answers. */
  checkCommit(memberId: string, generationId: number, nowMs: number): number {
    if (this.state === 'Dead') return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    // A "simple" commit (outside any generation) is allowed while no member is in the group.
    if (generationId < 0 && memberId === '' && this.state === 'Empty') return ErrorCode.NONE;
    const errorCode = this.checkMember(memberId, generationId, nowMs);
    if (errorCode !== ErrorCode.NONE) return errorCode;
    return this.state === 'CompletingRebalance' ? ErrorCode.REBALANCE_IN_PROGRESS : ErrorCode.NONE;
  }

  leave(memberId: string, nowMs: number): { errorCode: number; effects: GroupEffects } {
    const effects = noEffects();
    if (this.state === 'Dead') return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, effects };
    if (this.pendingMembers.delete(memberId)) return { errorCode: ErrorCode.NONE, effects };
    if (!this.members.has(memberId)) return { errorCode: ErrorCode.UNKNOWN_MEMBER_ID, effects };
    this.removeMember(memberId, nowMs, effects);
    return { errorCode: ErrorCode.NONE, effects };
  }

  private removeMember(memberId: string, nowMs: number, effects: GroupEffects): void {
    const member = this.members.get(memberId);
    if (member === undefined) return;
    if (member.awaitingJoin !== null) effects.joins.push({ token: member.awaitingJoin, reply: joinError(ErrorCode.UNKNOWN_MEMBER_ID, memberId) });
    if (member.awaitingSync !== null) effects.syncs.push({ token: member.awaitingSync, reply: { errorCode: ErrorCode.UNKNOWN_MEMBER_ID, assignment: Buffer.alloc(0) } });
    this.members.delete(memberId);
    if (this.leaderId === memberId) this.leaderId = this.members.keys().next().value ?? null;
    if (this.state === 'PreparingRebalance') this.tryCompleteJoin(nowMs, effects);
    else if (this.state === 'Stable' || this.state === 'CompletingRebalance') this.prepareRebalance(nowMs, effects);
  }

  /** Expires sessions and pending member ids, and ends a rebalance whose time is up. */
  tick(nowMs: number): GroupEffects {
    const effects = noEffects();
    if (this.state === 'Dead') return effects;
    for (const [memberId, deadlineMs] of [...this.pendingMembers]) if (deadlineMs <= nowMs) this.pendingMembers.delete(memberId);
    for (const member of [...this.members.values()]) {
      // A member parked in JoinGroup is not expected to heartbeat.
      if (member.awaitingJoin === null && member.sessionDeadlineMs <= nowMs) this.removeMember(member.memberId, nowMs, effects);
    }
    this.tryCompleteJoin(nowMs, effects);
    return effects;
  }

  /** The coordinator gave the group up: every parked request learns it must look for the new one. */
  unload(): GroupEffects {
    const effects = noEffects();
    for (const member of this.members.values()) {
      if (member.awaitingJoin !== null) effects.joins.push({ token: member.awaitingJoin, reply: joinError(ErrorCode.NOT_COORDINATOR, member.memberId) });
      if (member.awaitingSync !== null) effects.syncs.push({ token: member.awaitingSync, reply: { errorCode: ErrorCode.NOT_COORDINATOR, assignment: Buffer.alloc(0) } });
      member.awaitingJoin = null;
      member.awaitingSync = null;
    }
    this.state = 'Dead';
    this.rebalanceDeadlineMs = null;
    return effects;
  }
}

function sameMetadata(left: readonly { name: string; metadata: Buffer }[], right: readonly { name: string; metadata: Buffer }[]): boolean {
  return left.length === right.length && left.every((protocol, index) => protocol.name === right[index]?.name && protocol.metadata.equals(right[index].metadata));
}
