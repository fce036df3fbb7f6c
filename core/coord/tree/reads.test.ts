import { describe, expect, it } from '@jest/globals';
import { ErrorCode, Perms } from '../zookeeper-constants.js';
import { digestId } from './acl.js';
import { NO_IDS, TreeDriver, aclFor } from './test-helpers.js';
import type { ACL, Id } from './types.js';

const bob: Id = { scheme: 'digest', id: digestId('bob', 'pw') };
const bobOnly = (perms: number): ACL[] => [{ perms, id: bob }];

describe('reads', () => {
  it('answer NONODE for missing nodes', () => {
    const { tree } = new TreeDriver();
    expect(tree.getData('/none', NO_IDS)).toEqual({ err: ErrorCode.NONODE });
    expect(tree.getChildren('/none', NO_IDS)).toEqual({ err: ErrorCode.NONODE });
    expect(tree.getACL('/none', NO_IDS)).toEqual({ err: ErrorCode.NONODE });
    expect(tree.getAllChildrenNumber('/none', NO_IDS)).toEqual({ err: ErrorCode.NONODE });
    expect(tree.exists('/none')).toEqual({ err: ErrorCode.NONODE });
  });

  it('need READ for getData, getChildren and getAllChildrenNumber', () => {
    const driver = new TreeDriver();
    driver.create('/secret', { acl: bobOnly(Perms.READ | Perms.CREATE) });
    driver.create('/secret/x', {}, { authIds: [bob] });
    expect(driver.tree.getData('/secret', NO_IDS)).toEqual({ err: ErrorCode.NOAUTH });
    expect(driver.tree.getChildren('/secret', NO_IDS)).toEqual({ err: ErrorCode.NOAUTH });
    expect(driver.tree.getAllChildrenNumber('/secret', NO_IDS)).toEqual({ err: ErrorCode.NOAUTH });
    expect(driver.tree.getData('/secret', [bob]).err).toBe(0);
    expect(driver.tree.getChildren('/secret', [bob])).toMatchObject({ err: 0, children: ['x'] });
  });

  it('exists checks no ACL unless the reader’s ids are given (ZooKeeper ≥ 3.8.4 checks READ)', () => {
    const driver = new TreeDriver();
    driver.create('/secret', { acl: bobOnly(Perms.ALL) });
    expect(driver.tree.exists('/secret').err).toBe(0);
    expect(driver.tree.exists('/secret', NO_IDS).err).toBe(ErrorCode.NOAUTH);
    expect(driver.tree.exists('/secret', [bob]).err).toBe(0);
    expect(driver.tree.exists('/a\u0000b').err).toBe(ErrorCode.BADARGUMENTS);
  });

  it('getACL needs READ or ADMIN and masks digest hashes without ADMIN', () => {
    const driver = new TreeDriver();
    driver.create('/r', { acl: [...bobOnly(Perms.ADMIN), ...aclFor(Perms.READ)] });
    driver.create('/w', { acl: aclFor(Perms.WRITE) });
    expect(driver.tree.getACL('/w', NO_IDS)).toEqual({ err: ErrorCode.NOAUTH });
    expect(driver.tree.getACL('/r', NO_IDS)).toMatchObject({ err: 0, acl: [{ perms: Perms.ADMIN, id: { scheme: 'digest', id: 'bob:x' } }, ...aclFor(Perms.READ)] });
    expect(driver.tree.getACL('/r', [bob])).toMatchObject({ err: 0, acl: [{ perms: Perms.ADMIN, id: bob }, ...aclFor(Perms.READ)] });
  });

  it('returns children sorted and counts all descendants', () => {
    const driver = new TreeDriver();
    for (const path of ['/p', '/p/b', '/p/a', '/p/c', '/p/a/deep', '/pp']) driver.create(path);
    expect(driver.tree.getChildren('/p', NO_IDS)).toMatchObject({ children: ['a', 'b', 'c'] });
    expect(driver.tree.getAllChildrenNumber('/p', NO_IDS)).toEqual({ err: 0, count: 4 });
    expect(driver.tree.getAllChildrenNumber('/', NO_IDS)).toEqual({ err: 0, count: 3 + 6 });
  });

  it('hands out copies, so callers cannot change the replicated state', () => {
    const driver = new TreeDriver();
    driver.create('/a', { data: 'abc' });
    const read = driver.tree.getData('/a', NO_IDS);
    if (read.err !== 0) throw new Error('read failed');
    read.data.write('zzz');
    const acl = driver.tree.getACL('/a', NO_IDS);
    if (acl.err !== 0) throw new Error('read failed');
    acl.acl[0]!.perms = 0;
    expect(driver.tree.getData('/a', NO_IDS)).toMatchObject({ data: Buffer.from('abc') });
    expect(driver.tree.getACL('/a', NO_IDS)).toMatchObject({ acl: aclFor(Perms.ALL) });
  });

  it('reports node count and approximate data size like ZooKeeper’s mntr', () => {
    const driver = new TreeDriver();
    const before = driver.tree.approximateDataBytes();
    expect(before).toBe('/'.length + '/zookeeper'.length + '/zookeeper/quota'.length + '/zookeeper/config'.length);
    driver.create('/ab', { data: 'hello' });
    expect(driver.tree.approximateDataBytes()).toBe(before + 3 + 5);
    expect(driver.tree.nodeCount()).toBe(6);
  });
});
