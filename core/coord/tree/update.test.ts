import { describe, expect, it } from '@jest/globals';
import { ErrorCode, EventType, Perms } from '../zookeeper-constants.js';
import type { DataTree } from './data-tree.js';
import { NO_IDS, OPEN_ACL, TreeDriver, aclFor } from './test-helpers.js';
import type { Stat } from './types.js';

function statOf(tree: DataTree, path: string): Stat {
  const result = tree.exists(path);
  if (result.err !== 0) throw new Error(`${path} does not exist`);
  return result.stat;
}

describe('delete', () => {
  it('removes the node, moves the parent pzxid and shows one more child change in cversion', () => {
    const driver = new TreeDriver();
    driver.create('/a');
    driver.create('/a/b');
    const outcome = driver.apply({ type: 'delete', path: '/a/b', version: -1 });
    expect(outcome.result).toEqual({ err: 0, type: 'delete' });
    expect(driver.tree.exists('/a/b').err).toBe(ErrorCode.NONODE);
    expect(statOf(driver.tree, '/a')).toMatchObject({ pzxid: 3n, cversion: 2, numChildren: 0, mzxid: 1n });
  });

  it('reports NodeDeleted for the node and NodeChildrenChanged for its parent', () => {
    const driver = new TreeDriver();
    driver.create('/a', { acl: aclFor(Perms.ALL) });
    expect(driver.apply({ type: 'delete', path: '/a', version: 0 }).triggers).toEqual([
      { path: '/a', type: EventType.NodeDeleted, acl: OPEN_ACL },
      { path: '/', type: EventType.NodeChildrenChanged, acl: OPEN_ACL },
    ]);
  });

  it('fails with NONODE, BADVERSION and NOTEMPTY', () => {
    const driver = new TreeDriver();
    expect(driver.apply({ type: 'delete', path: '/nothing', version: -1 }).result.err).toBe(ErrorCode.NONODE);
    driver.create('/a');
    driver.create('/a/b');
    expect(driver.apply({ type: 'delete', path: '/a', version: 3 }).result.err).toBe(ErrorCode.BADVERSION);
    expect(driver.apply({ type: 'delete', path: '/a', version: 0 }).result.err).toBe(ErrorCode.NOTEMPTY);
  });

  it('refuses the root and the built-in nodes with BADARGUMENTS', () => {
    const driver = new TreeDriver();
    for (const path of ['/', '/zookeeper', '/zookeeper/quota', '/zookeeper/config', '', 'a']) {
      expect(driver.apply({ type: 'delete', path, version: -1 }).result.err).toBe(ErrorCode.BADARGUMENTS);
    }
  });

  it('needs DELETE on the parent, not on the node', () => {
    const driver = new TreeDriver();
    driver.create('/p', { acl: aclFor(Perms.ALL & ~Perms.DELETE) });
    driver.create('/p/c');
    expect(driver.apply({ type: 'delete', path: '/p/c', version: -1 }).result.err).toBe(ErrorCode.NOAUTH);
    driver.create('/q', { acl: aclFor(Perms.DELETE | Perms.CREATE) });
    driver.create('/q/c', { acl: aclFor(0) });
    expect(driver.apply({ type: 'delete', path: '/q/c', version: -1 }).result.err).toBe(0);
  });
});

describe('setData', () => {
  it('replaces the data and bumps version, mzxid and mtime', () => {
    const driver = new TreeDriver();
    driver.create('/a', { data: 'one' });
    const outcome = driver.apply({ type: 'setData', path: '/a', data: Buffer.from('three'), version: 0 });
    expect(outcome.result).toMatchObject({ err: 0, type: 'setData', stat: { version: 1, mzxid: 2n, mtime: 2000, czxid: 1n, ctime: 1000, dataLength: 5 } });
    expect(outcome.triggers).toEqual([{ path: '/a', type: EventType.NodeDataChanged, acl: OPEN_ACL }]);
    expect(driver.tree.getData('/a', NO_IDS)).toMatchObject({ data: Buffer.from('three') });
  });

  it('fails with NONODE, BADVERSION, NOAUTH without WRITE, BADARGUMENTS on a bad path', () => {
    const driver = new TreeDriver();
    const setData = (path: string, version = -1) => driver.apply({ type: 'setData', path, data: Buffer.from('x'), version }).result.err;
    expect(setData('/none')).toBe(ErrorCode.NONODE);
    driver.create('/a');
    expect(setData('/a', 5)).toBe(ErrorCode.BADVERSION);
    driver.create('/ro', { acl: aclFor(Perms.READ) });
    expect(setData('/ro')).toBe(ErrorCode.NOAUTH);
    expect(setData('/a/')).toBe(ErrorCode.BADARGUMENTS);
  });
});

describe('setACL', () => {
  it('replaces the ACL and bumps aversion without touching mzxid or version', () => {
    const driver = new TreeDriver();
    driver.create('/a');
    const outcome = driver.apply({ type: 'setACL', path: '/a', acl: aclFor(Perms.READ | Perms.ADMIN), version: 0 });
    expect(outcome.result).toMatchObject({ err: 0, type: 'setACL', stat: { aversion: 1, version: 0, mzxid: 1n } });
    expect(outcome.triggers).toEqual([]);
    expect(driver.tree.getACL('/a', NO_IDS)).toMatchObject({ acl: aclFor(Perms.READ | Perms.ADMIN) });
  });

  it('checks the version against aversion, needs ADMIN and a valid ACL', () => {
    const driver = new TreeDriver();
    driver.create('/a');
    driver.apply({ type: 'setData', path: '/a', data: Buffer.from('x'), version: -1 });
    expect(driver.apply({ type: 'setACL', path: '/a', acl: OPEN_ACL, version: 1 }).result.err).toBe(ErrorCode.BADVERSION);
    expect(driver.apply({ type: 'setACL', path: '/a', acl: [], version: -1 }).result.err).toBe(ErrorCode.INVALIDACL);
    expect(driver.apply({ type: 'setACL', path: '/none', acl: OPEN_ACL, version: -1 }).result.err).toBe(ErrorCode.NONODE);
    driver.create('/b', { acl: aclFor(Perms.ALL & ~Perms.ADMIN) });
    expect(driver.apply({ type: 'setACL', path: '/b', acl: OPEN_ACL, version: -1 }).result.err).toBe(ErrorCode.NOAUTH);
  });

  it('lets /zookeeper/config keep its -1 aversion until an admin changes it', () => {
    const driver = new TreeDriver();
    expect(driver.apply({ type: 'setACL', path: '/zookeeper/config', acl: OPEN_ACL, version: -1 }).result.err).toBe(ErrorCode.NOAUTH);
    const outcome = driver.apply({ type: 'setACL', path: '/zookeeper/config', acl: OPEN_ACL, version: -1 }, { authIds: [{ scheme: 'super', id: '' }] });
    expect(outcome.result).toMatchObject({ err: 0, stat: { aversion: 0 } });
  });
});

describe('check', () => {
  it('passes on the right version and fails with BADVERSION, NONODE or NOAUTH', () => {
    const driver = new TreeDriver();
    driver.create('/a');
    expect(driver.apply({ type: 'check', path: '/a', version: 0 }).result).toEqual({ err: 0, type: 'check' });
    expect(driver.apply({ type: 'check', path: '/a', version: 1 }).result.err).toBe(ErrorCode.BADVERSION);
    expect(driver.apply({ type: 'check', path: '/none', version: -1 }).result.err).toBe(ErrorCode.NONODE);
    driver.create('/secret', { acl: aclFor(Perms.WRITE) });
    expect(driver.apply({ type: 'check', path: '/secret', version: -1 }).result.err).toBe(ErrorCode.NOAUTH);
  });
});

describe('zxid bookkeeping', () => {
  it('advances lastZxid for every applied op, failed ones included', () => {
    const driver = new TreeDriver();
    driver.apply({ type: 'noop' });
    expect(driver.tree.lastZxid).toBe(1n);
    const digest = driver.tree.digest();
    expect(driver.apply({ type: 'delete', path: '/none', version: -1 }).result.err).toBe(ErrorCode.NONODE);
    expect(driver.tree.lastZxid).toBe(2n);
    expect(driver.tree.digest()).toBe(digest);
  });
});
