import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Perms } from '../zookeeper-constants.js';
import { digestId } from './acl.js';
import { DataTree } from './data-tree.js';
import type { ACL, Id, TxnContext, WriteOp } from './types.js';

const bob: Id = { scheme: 'digest', id: digestId('bob', 'pw') };
const ip: Id = { scheme: 'ip', id: '10.0.0.7' };
const PATHS = ['/a', '/b', '/a/x', '/a/y', '/b/x', '/a/x/deep', '/c', '/a/', '/'];
const SESSIONS = [0x100n, 0x200n, 0x300n];
const ACLS: ACL[][] = [
  [{ perms: Perms.ALL, id: { scheme: 'world', id: 'anyone' } }],
  [{ perms: Perms.READ, id: { scheme: 'world', id: 'anyone' } }],
  [{ perms: Perms.ALL, id: bob }],
  [{ perms: Perms.ALL, id: { scheme: 'auth', id: '' } }],
  [{ perms: Perms.CREATE | Perms.DELETE, id: { scheme: 'ip', id: '10.0.0.0/8' } }],
  [],
];

const path = fc.constantFrom(...PATHS);
const version = fc.integer({ min: -1, max: 2 });
const data = fc.uint8Array({ maxLength: 6 }).map((bytes) => Buffer.from(bytes));
const acl = fc.constantFrom(...ACLS);

const createOp: fc.Arbitrary<WriteOp> = fc
  .record({ path, data, acl, mode: fc.integer({ min: 0, max: 7 }), ttlMs: fc.oneof(fc.constant(undefined), fc.integer({ min: -1, max: 3000 })) })
  .map(({ ttlMs, ...rest }) => (ttlMs === undefined ? { type: 'create' as const, ...rest } : { type: 'create' as const, ...rest, ttlMs }));
const deleteOp: fc.Arbitrary<WriteOp> = fc.record({ type: fc.constant('delete' as const), path, version });
const setDataOp: fc.Arbitrary<WriteOp> = fc.record({ type: fc.constant('setData' as const), path, data, version });
const checkOp: fc.Arbitrary<WriteOp> = fc.record({ type: fc.constant('check' as const), path, version });
/** Sub-ops likely to succeed, so that multis of several ops commit as well as roll back. */
const validPath = fc.constantFrom('/a', '/b', '/a/x', '/b/x', '/c');
const friendlySubOp: fc.Arbitrary<WriteOp> = fc.oneof(
  fc.record({ type: fc.constant('create' as const), path: validPath, data, acl: fc.constant(ACLS[0]!), mode: fc.constantFrom(0, 2) }),
  fc.record({ type: fc.constant('setData' as const), path: validPath, data, version: fc.constant(-1) }),
  fc.record({ type: fc.constant('check' as const), path: validPath, version: fc.constant(-1) }),
);
const multiSubOp = fc.oneof({ arbitrary: fc.oneof(createOp, deleteOp, setDataOp, checkOp), weight: 1 }, { arbitrary: friendlySubOp, weight: 3 });

const writeOp: fc.Arbitrary<WriteOp> = fc.oneof(
  { arbitrary: createOp, weight: 5 },
  { arbitrary: deleteOp, weight: 2 },
  { arbitrary: setDataOp, weight: 2 },
  { arbitrary: checkOp, weight: 1 },
  { arbitrary: fc.record({ type: fc.constant('setACL' as const), path, acl, version }), weight: 1 },
  { arbitrary: fc.record({ type: fc.constant('multi' as const), ops: fc.array(multiSubOp, { maxLength: 4 }) }), weight: 3 },
  { arbitrary: fc.record({ type: fc.constant('createSession' as const), sessionId: fc.constantFrom(...SESSIONS), timeoutMs: fc.constant(5000) }), weight: 2 },
  { arbitrary: fc.record({ type: fc.constant('closeSession' as const), sessionId: fc.constantFrom(...SESSIONS) }), weight: 1 },
  { arbitrary: fc.record({ type: fc.constant('deleteContainer' as const), path }), weight: 1 },
  { arbitrary: fc.record({ type: fc.constant('deleteExpiredTtl' as const), path, nowMs: fc.integer({ min: 0, max: 200_000 }) }), weight: 1 },
  { arbitrary: fc.constant({ type: 'noop' as const }), weight: 1 },
);

interface Step {
  op: WriteOp;
  sessionId: bigint;
  authIds: Id[];
}

const step: fc.Arbitrary<Step> = fc.record({
  op: writeOp,
  sessionId: fc.constantFrom(...SESSIONS),
  authIds: fc.constantFrom<Id[]>([], [bob], [ip], [ip, bob]),
});
/** Every sequence opens the sessions first, so ephemerals get created rather than refused. */
const openSessions: Step[] = SESSIONS.map((sessionId) => ({ op: { type: 'createSession', sessionId, timeoutMs: 5000 }, sessionId, authIds: [] }));
const steps = fc.array(step, { maxLength: 50 }).map((sequence) => [...openSessions, ...sequence]);

function contextOf(s: Step, index: number): TxnContext {
  return { zxid: BigInt(index + 1), timeMs: 1000 * (index + 1), sessionId: s.sessionId, authIds: s.authIds };
}

function readsOf(tree: DataTree): unknown[] {
  return PATHS.flatMap((p) => [tree.getData(p, [bob]), tree.getChildren(p, []), tree.getACL(p, [bob]), tree.getAllChildrenNumber(p, [ip])]);
}

describe('data tree properties', () => {
  it('applies the same ops to two replicas with identical results, triggers and digests', () => {
    fc.assert(
      fc.property(steps, (sequence) => {
        const [left, right] = [new DataTree(), new DataTree()];
        sequence.forEach((s, index) => {
          expect(left.apply(s.op, contextOf(s, index))).toEqual(right.apply(s.op, contextOf(s, index)));
        });
        expect(left.digest()).toBe(right.digest());
        expect(left.serialize()).toEqual(right.serialize());
      }),
      { numRuns: 150 },
    );
  });

  it('keeps every invariant after every step, and a failed multi changes nothing', () => {
    fc.assert(
      fc.property(steps, (sequence) => {
        const tree = new DataTree();
        sequence.forEach((s, index) => {
          const before = tree.digest();
          const { result, triggers } = tree.apply(s.op, contextOf(s, index));
          tree.checkInvariants();
          expect(tree.lastZxid).toBe(BigInt(index + 1));
          if (s.op.type === 'multi' && result.err !== 0) {
            expect(tree.digest()).toBe(before);
            expect(triggers).toEqual([]);
          }
        });
      }),
      { numRuns: 200 },
    );
  });

  it('round-trips through a snapshot with the same digest and the same reads', () => {
    fc.assert(
      fc.property(steps, (sequence) => {
        const tree = new DataTree();
        sequence.forEach((s, index) => tree.apply(s.op, contextOf(s, index)));
        const copy = DataTree.deserialize(tree.serialize());
        expect(copy.digest()).toBe(tree.digest());
        expect(copy.lastZxid).toBe(tree.lastZxid);
        expect(readsOf(copy)).toEqual(readsOf(tree));
        expect(copy.sessions()).toEqual(tree.sessions());
        expect(copy.cleanupCandidates(100_000)).toEqual(tree.cleanupCandidates(100_000));
      }),
      { numRuns: 150 },
    );
  });

  it('lets a replica restored from a mid-way snapshot catch up to the same state', () => {
    fc.assert(
      fc.property(steps, fc.nat(), (sequence, cutSeed) => {
        const cut = cutSeed % sequence.length;
        const leader = new DataTree();
        sequence.slice(0, cut).forEach((s, index) => leader.apply(s.op, contextOf(s, index)));
        const follower = DataTree.deserialize(leader.serialize());
        sequence.slice(cut).forEach((s, offset) => {
          const ctx = contextOf(s, cut + offset);
          expect(follower.apply(s.op, ctx)).toEqual(leader.apply(s.op, ctx));
        });
        expect(follower.digest()).toBe(leader.digest());
      }),
      { numRuns: 100 },
    );
  });

  it('applies every cleanup candidate cleanly, round after round, until none is left', () => {
    fc.assert(
      fc.property(steps, (sequence) => {
        const tree = new DataTree();
        sequence.forEach((s, index) => tree.apply(s.op, contextOf(s, index)));
        const nowMs = 1000 * (sequence.length + 1000);
        let zxid = BigInt(sequence.length);
        // Deleting a child can make its container or TTL parent a candidate of the next round.
        for (let round = 0; round < PATHS.length; round++) {
          const candidates = tree.cleanupCandidates(nowMs);
          if (candidates.length === 0) break;
          for (const op of candidates) {
            zxid += 1n;
            expect(tree.apply(op, { zxid, timeMs: nowMs, sessionId: 0x100n, authIds: [] }).result.err).toBe(0);
          }
          tree.checkInvariants();
        }
        expect(tree.cleanupCandidates(nowMs).filter((op) => op.type === 'deleteExpiredTtl')).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
});

describe('generator sanity', () => {
  it('produces containers, TTL nodes and ephemerals often enough to matter', () => {
    const kinds = new Set<string>();
    const multiOutcomes = new Set<string>();
    fc.assert(
      fc.property(steps, (sequence) => {
        const tree = new DataTree();
        sequence.forEach((s, index) => {
          const { result } = tree.apply(s.op, contextOf(s, index));
          if (s.op.type === 'multi' && s.op.ops.length > 1) multiOutcomes.add(result.err === 0 ? 'committed' : 'rolled back');
          for (const p of PATHS) kinds.add(tree.nodeKind(p) ?? 'absent');
        });
      }),
      // A fixed seed: this measures the generator, it must not flake.
      { numRuns: 300, seed: 20_240_611 },
    );
    expect([...kinds].sort()).toEqual(['absent', 'container', 'ephemeral', 'persistent', 'ttl']);
    expect([...multiOutcomes].sort()).toEqual(['committed', 'rolled back']);
  });
});
