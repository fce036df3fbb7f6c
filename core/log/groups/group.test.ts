import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ErrorCode } from '../protocol/errors.js';
import { Group, type GroupEffects, type GroupOptions } from './group.js';
import { chooseProtocol, type JoinGroupInput } from './member.js';

const SESSION_MS = 10_000;
const REBALANCE_MS = 30_000;

function newGroup(overrides: Partial<GroupOptions> = {}): Group {
  let next = 0;
  return new Group('g', {
    minSessionTimeoutMs: 1_000, maxSessionTimeoutMs: 60_000, initialRebalanceDelayMs: 0, maxMembers: 10,
    newMemberId: (clientId) => `${clientId}-${++next}`,
    ...overrides,
  });
}

const joinInput = (memberId = '', overrides: Partial<JoinGroupInput> = {}): JoinGroupInput => ({
  memberId, groupInstanceId: null, clientId: 'c', clientHost: '/127.0.0.1', sessionTimeoutMs: SESSION_MS, rebalanceTimeoutMs: REBALANCE_MS,
  protocolType: 'consumer', protocols: [{ name: 'range', metadata: Buffer.from('m') }], requireKnownMemberId: false, ...overrides,
});

const joinReply = (effects: GroupEffects, token: number) => effects.joins.find((entry) => entry.token === token)?.reply;
const syncReply = (effects: GroupEffects, token: number) => effects.syncs.find((entry) => entry.token === token)?.reply;

/** Three members joined one generation and synced: returns their ids (leader first). */
function stableGroupOfThree(group: Group): string[] {
  group.join(joinInput(), 1, 0);
  // The first join completed at once (it was the only member): the others trigger a rebalance.
  const first = [...group.members.keys()][0] as string;
  group.join(joinInput(), 2, 0);
  group.join(joinInput(), 3, 0);
  const all = group.join(joinInput(first), 4, 0);
  expect(all.joins.map((entry) => entry.reply.errorCode)).toEqual([0, 0, 0]);
  const ids = [...group.members.keys()];
  const leader = group.leaderId as string;
  group.sync(ids[1] as string, group.generationId, [], 5, 0);
  group.sync(ids[2] as string, group.generationId, [], 6, 0);
  group.sync(leader, group.generationId, ids.map((memberId) => ({ memberId, assignment: Buffer.from(memberId) })), 7, 0);
  expect(group.state).toBe('Stable');
  return ids;
}

describe('group state machine', () => {
  it('answers a lone first member at once: generation 1, it leads and gets its own metadata', () => {
    const group = newGroup();
    const effects = group.join(joinInput(), 1, 0);
    expect(joinReply(effects, 1)).toEqual({ errorCode: 0, generationId: 1, protocolName: 'range', leader: 'c-1', memberId: 'c-1', members: [{ memberId: 'c-1', groupInstanceId: null, metadata: Buffer.from('m') }] });
    expect(group.state).toBe('CompletingRebalance');
    expect(effects.store).toBe(true);
  });

  it('waits the initial rebalance delay so the first members share one generation', () => {
    const group = newGroup({ initialRebalanceDelayMs: 3_000 });
    expect(group.join(joinInput(), 1, 0).joins).toEqual([]);
    expect(group.join(joinInput(), 2, 1_000).joins).toEqual([]);
    expect(group.nextDeadlineMs()).toBe(3_000);
    const effects = group.tick(3_000);
    expect(effects.joins.map((entry) => entry.reply.generationId)).toEqual([1, 1]);
    expect(joinReply(effects, 1)?.members).toHaveLength(2);
    expect(joinReply(effects, 2)?.members).toEqual([]);
  });

  it('gives the leader everyone\'s metadata and distributes its assignment through SyncGroup', () => {
    const group = newGroup();
    const ids = stableGroupOfThree(group);
    expect(group.generationId).toBe(2);
    for (const id of ids) expect(group.sync(id, 2, [], 99, 0).syncs[0]?.reply).toEqual({ errorCode: 0, assignment: Buffer.from(id) });
  });

  it('parks followers\' SyncGroup until the leader syncs', () => {
    const group = newGroup();
    group.join(joinInput(), 1, 0);
    const leader = group.leaderId as string;
    group.join(joinInput(), 2, 0);
    const joined = group.join(joinInput(leader), 3, 0);
    const follower = joinReply(joined, 2)?.memberId as string;
    expect(group.sync(follower, 2, [], 4, 0).syncs).toEqual([]);
    const done = group.sync(leader, 2, [{ memberId: follower, assignment: Buffer.from('p0') }], 5, 0);
    expect(syncReply(done, 4)).toEqual({ errorCode: 0, assignment: Buffer.from('p0') });
    expect(syncReply(done, 5)).toEqual({ errorCode: 0, assignment: Buffer.alloc(0) });
  });

  it('hands out member ids with MEMBER_ID_REQUIRED for JoinGroup v4+', () => {
    const group = newGroup();
    const first = group.join(joinInput('', { requireKnownMemberId: true }), 1, 0);
    expect(joinReply(first, 1)).toMatchObject({ errorCode: ErrorCode.MEMBER_ID_REQUIRED, memberId: 'c-1' });
    expect(group.members.size).toBe(0);
    expect(joinReply(group.join(joinInput('c-1'), 2, 0), 2)).toMatchObject({ errorCode: 0, memberId: 'c-1', generationId: 1 });
  });

  it('refuses unknown members, stale generations, bad session timeouts and foreign protocols', () => {
    const group = newGroup();
    const [leader] = stableGroupOfThree(group) as [string];
    expect(joinReply(group.join(joinInput('ghost'), 1, 0), 1)?.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(group.heartbeat('ghost', 2, 0)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(group.heartbeat(leader, 1, 0)).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(group.sync(leader, 3, [], 2, 0).syncs[0]?.reply.errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(joinReply(group.join(joinInput('', { sessionTimeoutMs: 10 }), 3, 0), 3)?.errorCode).toBe(ErrorCode.INVALID_SESSION_TIMEOUT);
    expect(joinReply(group.join(joinInput('', { protocolType: 'connect' }), 4, 0), 4)?.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect(joinReply(group.join(joinInput('', { protocols: [{ name: 'sticky', metadata: Buffer.alloc(0) }] }), 5, 0), 5)?.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect(joinReply(group.join(joinInput('', { protocols: [] }), 6, 0), 6)?.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect(group.state).toBe('Stable');
  });

  it('refuses joins beyond the group\'s maximum size', () => {
    const group = newGroup({ maxMembers: 1 });
    group.join(joinInput(), 1, 0);
    expect(joinReply(group.join(joinInput(), 2, 0), 2)?.errorCode).toBe(ErrorCode.GROUP_MAX_SIZE_REACHED);
  });

  it('rebalances when a member leaves; heartbeats say REBALANCE_IN_PROGRESS until the others rejoin', () => {
    const group = newGroup();
    const [leader, second, third] = stableGroupOfThree(group) as [string, string, string];
    expect(group.leave(third, 0).errorCode).toBe(0);
    expect(group.state).toBe('PreparingRebalance');
    expect(group.heartbeat(second, 2, 1)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(group.sync(second, 2, [], 1, 1).syncs[0]?.reply.errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    group.join(joinInput(leader), 2, 1);
    const done = group.join(joinInput(second), 3, 1);
    expect(done.joins.map((entry) => entry.reply.generationId)).toEqual([3, 3]);
    expect(group.leave('ghost', 1).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('evicts a member that stops heartbeating after its session timeout, and one that does not rejoin in time', () => {
    const group = newGroup();
    const [leader, second, third] = stableGroupOfThree(group) as [string, string, string];
    for (let now = 0; now < SESSION_MS; now += 3_000) {
      expect(group.heartbeat(leader, 2, now)).toBe(0);
      expect(group.heartbeat(second, 2, now)).toBe(0);
    }
    expect(group.nextDeadlineMs()).toBe(SESSION_MS);
    group.tick(SESSION_MS);
    expect(group.members.has(third)).toBe(false);
    expect(group.state).toBe('PreparingRebalance');
    // The leader rejoins; the second keeps heartbeating but never rejoins: the rebalance timeout drops it.
    group.join(joinInput(leader), 1, SESSION_MS + 1);
    for (let now = SESSION_MS; now < SESSION_MS + REBALANCE_MS; now += 3_000) expect(group.heartbeat(second, 2, now)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(group.nextDeadlineMs()).toBe(SESSION_MS + REBALANCE_MS);
    const done = group.tick(SESSION_MS + REBALANCE_MS);
    expect(joinReply(done, 1)).toMatchObject({ errorCode: 0, generationId: 3, leader });
    expect([...group.members.keys()]).toEqual([leader]);
  });

  it('goes back to Empty when the last member leaves, and then allows simple commits', () => {
    const group = newGroup();
    group.join(joinInput(), 1, 0);
    expect(group.checkCommit('', -1, 0)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    group.leave('c-1', 0);
    expect(group.state).toBe('Empty');
    expect(group.checkCommit('', -1, 0)).toBe(0);
  });

  it('keeps a member\'s generation while it commits; refuses commits during CompletingRebalance', () => {
    const group = newGroup();
    group.join(joinInput(), 1, 0);
    expect(group.checkCommit('c-1', 1, 0)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    group.sync('c-1', 1, [], 2, 0);
    expect(group.checkCommit('c-1', 1, 0)).toBe(0);
    expect(group.checkCommit('c-1', 0, 0)).toBe(ErrorCode.ILLEGAL_GENERATION);
  });

  it('answers parked requests with NOT_COORDINATOR when unloaded, and survives a snapshot round trip', () => {
    const group = newGroup({ initialRebalanceDelayMs: 1_000 });
    group.join(joinInput(), 1, 0);
    expect(group.unload().joins).toEqual([{ token: 1, reply: expect.objectContaining({ errorCode: ErrorCode.NOT_COORDINATOR }) }]);
    const stable = newGroup();
    const ids = stableGroupOfThree(stable);
    const restored = Group.restore(stable.snapshot(), { minSessionTimeoutMs: 1, maxSessionTimeoutMs: 60_000, initialRebalanceDelayMs: 0, maxMembers: 10, newMemberId: () => 'x' }, 100);
    expect(restored.state).toBe('Stable');
    expect(restored.generationId).toBe(2);
    expect(restored.heartbeat(ids[0] as string, 2, 100)).toBe(0);
    expect(restored.sync(ids[1] as string, 2, [], 1, 100).syncs[0]?.reply.assignment).toEqual(Buffer.from(ids[1] as string));
  });
});

describe('protocol choice', () => {
  const member = (...names: string[]) => ({ protocols: names.map((name) => ({ name, metadata: Buffer.alloc(0) })) });
  it('picks the protocol most members prefer among those all support', () => {
    expect(chooseProtocol([member('range', 'roundrobin'), member('roundrobin', 'range'), member('roundrobin')])).toBe('roundrobin');
    expect(chooseProtocol([member('range', 'sticky'), member('sticky', 'range')])).toBe('range');
  });
});

type Operation =
  | { kind: 'join'; who: number; fresh: boolean; protocol: 'range' | 'sticky' }
  | { kind: 'sync'; who: number }
  | { kind: 'heartbeat'; who: number }
  | { kind: 'leave'; who: number }
  | { kind: 'advance'; ms: number };

const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({ kind: fc.constant('join' as const), who: fc.nat(4), fresh: fc.boolean(), protocol: fc.constantFrom('range' as const, 'sticky' as const) }),
  fc.record({ kind: fc.constant('sync' as const), who: fc.nat(4) }),
  fc.record({ kind: fc.constant('heartbeat' as const), who: fc.nat(4) }),
  fc.record({ kind: fc.constant('leave' as const), who: fc.nat(4) }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 15_000 }) }),
);

describe('group state machine properties', () => {
  it('answers every parked request exactly once and keeps its invariants under any sequence of calls', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 60 }), fc.integer({ min: 0, max: 5_000 }), (operations, initialDelayMs) => {
        const group = newGroup({ initialRebalanceDelayMs: initialDelayMs });
        const known: string[] = [];
        const parked = new Set<number>();
        const answered = new Set<number>();
        let token = 0;
        let now = 0;
        let generation = group.generationId;
        const apply = (effects: GroupEffects) => {
          for (const { token: done, reply } of [...effects.joins, ...effects.syncs]) {
            expect(answered.has(done)).toBe(false);
            answered.add(done);
            parked.delete(done);
            if ('memberId' in reply && reply.memberId !== '' && !known.includes(reply.memberId)) known.push(reply.memberId);
          }
        };
        for (const op of operations) {
          const memberId = known[('who' in op ? op.who : 0) % Math.max(1, known.length)] ?? '';
          const mine = ++token;
          parked.add(mine);
          if (op.kind === 'join') apply(group.join(joinInput(op.fresh ? '' : memberId, { protocols: [{ name: op.protocol, metadata: Buffer.alloc(0) }, { name: 'range', metadata: Buffer.alloc(0) }] }), mine, now));
          else if (op.kind === 'sync') apply(group.sync(memberId, group.generationId, [...group.members.keys()].map((id) => ({ memberId: id, assignment: Buffer.from(id) })), mine, now));
          else {
            parked.delete(mine);
            answered.add(mine);
            if (op.kind === 'heartbeat') group.heartbeat(memberId, group.generationId, now);
            else if (op.kind === 'leave') apply(group.leave(memberId, now).effects);
            else {
              now += op.ms;
              apply(group.tick(now));
            }
          }
          // Invariants after every step.
          expect(group.generationId).toBeGreaterThanOrEqual(generation);
          generation = group.generationId;
          if (group.members.size > 0) expect(group.members.has(group.leaderId as string)).toBe(true);
          if (group.state === 'Empty') expect(group.members.size).toBe(0);
          if (group.state === 'Stable' || group.state === 'CompletingRebalance') {
            expect(group.members.size).toBeGreaterThan(0);
            for (const member of group.members.values()) expect(member.awaitingJoin).toBeNull();
          }
          if (group.state !== 'CompletingRebalance') for (const member of group.members.values()) expect(member.awaitingSync).toBeNull();
          // Every parked token is held by exactly one member slot.
          const held = [...group.members.values()].flatMap((member) => [member.awaitingJoin, member.awaitingSync]).filter((held): held is number => held !== null);
          expect(new Set(held)).toEqual(parked);
        }
        // Time alone drains everything: every parked request is eventually answered.
        for (let step = 0; step < 10 && parked.size > 0; step++) {
          now = Math.max(now, group.nextDeadlineMs() ?? now) + 1;
          apply(group.tick(now));
        }
        expect(parked.size).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});
