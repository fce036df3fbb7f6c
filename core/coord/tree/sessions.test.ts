import { describe, expect, it } from '@jest/globals';
import { CreateMode, ErrorCode, EventType } from '../zookeeper-constants.js';
import { SESSION, TreeDriver } from './test-helpers.js';

describe('sessions', () => {
  it('registers sessions with their timeout and lists them sorted by id', () => {
    const driver = new TreeDriver();
    driver.openSession(0x300n, 10_000);
    driver.openSession(0x200n, 20_000);
    expect(driver.tree.sessions()).toEqual([
      { sessionId: 0x200n, timeoutMs: 20_000 },
      { sessionId: 0x300n, timeoutMs: 10_000 },
    ]);
    expect(driver.tree.hasSession(0x200n)).toBe(true);
    expect(driver.tree.hasSession(0x999n)).toBe(false);
  });

  it('refuses session ids that could not own ephemerals unambiguously', () => {
    const driver = new TreeDriver();
    for (const sessionId of [0n, -(2n ** 63n), -1n]) {
      expect(driver.apply({ type: 'createSession', sessionId, timeoutMs: 1000 }).result.err).toBe(ErrorCode.BADARGUMENTS);
    }
    expect(driver.apply({ type: 'createSession', sessionId: -(2n ** 62n), timeoutMs: 1000 }).result.err).toBe(0);
  });

  it("closing a session deletes its ephemerals in path order and leaves others' alone", () => {
    const driver = new TreeDriver();
    const other = 0x200n;
    driver.openSession();
    driver.openSession(other);
    driver.create('/dir');
    driver.create('/dir/z', { mode: CreateMode.EPHEMERAL });
    driver.create('/a', { mode: CreateMode.EPHEMERAL });
    driver.create('/dir/theirs', { mode: CreateMode.EPHEMERAL }, { sessionId: other });
    expect(driver.tree.ephemeralCount()).toBe(3);
    const outcome = driver.apply({ type: 'closeSession', sessionId: SESSION });
    expect(outcome.result).toEqual({ err: 0, type: 'closeSession' });
    expect(outcome.triggers.map((t) => [t.path, t.type])).toEqual([
      ['/a', EventType.NodeDeleted],
      ['/', EventType.NodeChildrenChanged],
      ['/dir/z', EventType.NodeDeleted],
      ['/dir', EventType.NodeChildrenChanged],
    ]);
    expect(driver.tree.getEphemerals(SESSION, '/')).toEqual([]);
    expect(driver.tree.getEphemerals(other, '/')).toEqual(['/dir/theirs']);
    expect(driver.tree.hasSession(SESSION)).toBe(false);
    expect(driver.tree.exists('/dir')).toMatchObject({ err: 0, stat: { pzxid: 7n, numChildren: 1 } });
    driver.tree.checkInvariants();
  });

  it('closing an unknown session succeeds and changes nothing', () => {
    const driver = new TreeDriver();
    const before = driver.tree.digest();
    expect(driver.apply({ type: 'closeSession', sessionId: 0x999n }).result).toEqual({ err: 0, type: 'closeSession' });
    expect(driver.tree.digest()).toBe(before);
  });

  it('lists a session’s ephemerals sorted, filtered by a plain string prefix', () => {
    const driver = new TreeDriver();
    driver.openSession();
    driver.create('/b', { mode: CreateMode.EPHEMERAL });
    driver.create('/app');
    driver.create('/app/x', { mode: CreateMode.EPHEMERAL });
    driver.create('/a', { mode: CreateMode.EPHEMERAL });
    expect(driver.tree.getEphemerals(SESSION, '')).toEqual(['/a', '/app/x', '/b']);
    expect(driver.tree.getEphemerals(SESSION, '/a')).toEqual(['/a', '/app/x']);
    expect(driver.tree.getEphemerals(SESSION, '/app/')).toEqual(['/app/x']);
  });
});

describe('container cleanup', () => {
  it('proposes only empty containers that once had a child', () => {
    const driver = new TreeDriver();
    driver.create('/fresh', { mode: CreateMode.CONTAINER });
    driver.create('/used', { mode: CreateMode.CONTAINER });
    driver.create('/used/child');
    expect(driver.tree.cleanupCandidates(0)).toEqual([]);
    driver.apply({ type: 'delete', path: '/used/child', version: -1 });
    expect(driver.tree.cleanupCandidates(0)).toEqual([{ type: 'deleteContainer', path: '/used' }]);
  });

  it('deletes a container that is still eligible, with the usual triggers', () => {
    const driver = new TreeDriver();
    driver.create('/c', { mode: CreateMode.CONTAINER });
    driver.create('/c/x');
    driver.apply({ type: 'delete', path: '/c/x', version: -1 });
    const outcome = driver.apply({ type: 'deleteContainer', path: '/c' });
    expect(outcome.result).toEqual({ err: 0, type: 'deleteContainer' });
    expect(outcome.triggers.map((t) => t.type)).toEqual([EventType.NodeDeleted, EventType.NodeChildrenChanged]);
    expect(driver.tree.exists('/c').err).toBe(ErrorCode.NONODE);
  });

  it('re-checks at apply time: NOTEMPTY if it got a child, BADVERSION if it is not a container, NONODE if gone', () => {
    const driver = new TreeDriver();
    driver.create('/c', { mode: CreateMode.CONTAINER });
    driver.create('/c/x');
    driver.create('/plain');
    expect(driver.apply({ type: 'deleteContainer', path: '/c' }).result.err).toBe(ErrorCode.NOTEMPTY);
    expect(driver.apply({ type: 'deleteContainer', path: '/plain' }).result.err).toBe(ErrorCode.BADVERSION);
    expect(driver.apply({ type: 'deleteContainer', path: '/gone' }).result.err).toBe(ErrorCode.NONODE);
    expect(driver.apply({ type: 'deleteContainer', path: '/zookeeper' }).result.err).toBe(ErrorCode.BADARGUMENTS);
  });
});

describe('TTL cleanup', () => {
  it('proposes empty TTL nodes once nowMs - mtime exceeds the TTL', () => {
    const driver = new TreeDriver();
    driver.create('/t', { mode: CreateMode.PERSISTENT_WITH_TTL, ttlMs: 500 }); // mtime 1000
    expect(driver.tree.cleanupCandidates(1500)).toEqual([]);
    expect(driver.tree.cleanupCandidates(1501)).toEqual([{ type: 'deleteExpiredTtl', path: '/t', nowMs: 1501 }]);
  });

  it('keeps TTL nodes with children and counts the TTL from the last modification', () => {
    const driver = new TreeDriver();
    driver.create('/t', { mode: CreateMode.PERSISTENT_WITH_TTL, ttlMs: 500 });
    driver.create('/t/child');
    expect(driver.tree.cleanupCandidates(10_000)).toEqual([]);
    driver.apply({ type: 'delete', path: '/t/child', version: -1 });
    driver.apply({ type: 'setData', path: '/t', data: Buffer.from('touch'), version: -1 }); // mtime 4000
    expect(driver.tree.cleanupCandidates(4400)).toEqual([]);
  });

  it('re-checks expiry when applied, so a touched node survives a stale proposal', () => {
    const driver = new TreeDriver();
    driver.create('/t', { mode: CreateMode.PERSISTENT_WITH_TTL, ttlMs: 500 });
    const [proposal] = driver.tree.cleanupCandidates(2000);
    driver.apply({ type: 'setData', path: '/t', data: Buffer.from('touch'), version: -1 }); // mtime 2000
    expect(driver.apply(proposal!).result.err).toBe(ErrorCode.BADVERSION);
    expect(driver.apply({ type: 'deleteExpiredTtl', path: '/t', nowMs: 2501 }).result).toEqual({ err: 0, type: 'deleteExpiredTtl' });
  });
});
