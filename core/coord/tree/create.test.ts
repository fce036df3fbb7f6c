import { describe, expect, it } from '@jest/globals';
import { CreateMode, ErrorCode, EventType, Perms } from '../zookeeper-constants.js';
import { digestId } from './acl.js';
import { DataTree } from './data-tree.js';
import { sequentialSuffix } from './ops-create.js';
import { NO_IDS, OPEN_ACL, SESSION, TreeDriver, aclFor, createOp } from './test-helpers.js';
import type { OpResult, Stat } from './types.js';

function created(result: OpResult): { path: string; stat: Stat } {
  if (result.err !== 0 || result.type !== 'create') throw new Error(`expected a create result, got ${JSON.stringify(result)}`);
  return result;
}

function statOf(tree: DataTree, path: string): Stat {
  const result = tree.exists(path);
  if (result.err !== 0) throw new Error(`${path} does not exist`);
  return result.stat;
}

describe('a fresh data tree', () => {
  it('holds /, /zookeeper, /zookeeper/quota and /zookeeper/config with zeroed stats', () => {
    const tree = new DataTree();
    expect(tree.getChildren('/', NO_IDS)).toMatchObject({ err: 0, children: ['zookeeper'] });
    expect(tree.getChildren('/zookeeper', NO_IDS)).toMatchObject({ err: 0, children: ['config', 'quota'] });
    expect(statOf(tree, '/')).toEqual({
      czxid: 0n, mzxid: 0n, ctime: 0, mtime: 0, version: 0, cversion: -1, aversion: 0, ephemeralOwner: 0n, dataLength: 0, numChildren: 1, pzxid: 0n,
    });
    expect(tree.nodeCount()).toBe(5); // ZooKeeper counts the root twice ("" and "/")
    expect(tree.lastZxid).toBe(0n);
  });

  it('is open to everyone at the root and read-only at /zookeeper/config, whose aversion is -1', () => {
    const tree = new DataTree();
    expect(tree.getACL('/', NO_IDS)).toMatchObject({ err: 0, acl: OPEN_ACL });
    expect(tree.getACL('/zookeeper/config', NO_IDS)).toMatchObject({ err: 0, acl: aclFor(Perms.READ), stat: { aversion: -1 } });
  });

  it('counts the built-in nodes as descendants of the root', () => {
    expect(new DataTree().getAllChildrenNumber('/', NO_IDS)).toEqual({ err: 0, count: 3 });
  });
});

describe('create', () => {
  it('stamps a new node with the zxid and time of its transaction', () => {
    const driver = new TreeDriver();
    const { path, stat } = created(driver.create('/a', { data: 'hello' }).result);
    expect(path).toBe('/a');
    expect(stat).toEqual({ czxid: 1n, mzxid: 1n, pzxid: 1n, ctime: 1000, mtime: 1000, version: 0, cversion: 0, aversion: 0, ephemeralOwner: 0n, dataLength: 5, numChildren: 0 });
    expect(driver.tree.getData('/a', NO_IDS)).toMatchObject({ err: 0, data: Buffer.from('hello') });
  });

  it("bumps the parent's cversion and pzxid but not its mzxid or version", () => {
    const driver = new TreeDriver();
    driver.create('/a');
    driver.create('/a/b');
    driver.create('/a/c');
    expect(statOf(driver.tree, '/a')).toMatchObject({ cversion: 2, pzxid: 3n, mzxid: 1n, version: 0, numChildren: 2 });
  });

  it('reports NodeCreated for the node and NodeChildrenChanged for its parent ("/" for the root)', () => {
    const driver = new TreeDriver();
    expect(driver.create('/a').triggers).toEqual([
      { path: '/a', type: EventType.NodeCreated, acl: OPEN_ACL },
      { path: '/', type: EventType.NodeChildrenChanged, acl: OPEN_ACL },
    ]);
    expect(driver.create('/a/b').triggers.map((t) => [t.path, t.type])).toEqual([
      ['/a/b', EventType.NodeCreated],
      ['/a', EventType.NodeChildrenChanged],
    ]);
  });

  it('copies the payload, so later changes to the caller buffer do not leak in', () => {
    const driver = new TreeDriver();
    const data = Buffer.from('abc');
    driver.apply({ type: 'create', path: '/a', data, acl: OPEN_ACL, mode: CreateMode.PERSISTENT });
    data.write('xyz');
    expect(driver.tree.getData('/a', NO_IDS)).toMatchObject({ data: Buffer.from('abc') });
  });

  it('fails with NONODE without a parent, NODEEXISTS on a taken path and for "/"', () => {
    const driver = new TreeDriver();
    expect(driver.create('/missing/child').result.err).toBe(ErrorCode.NONODE);
    driver.create('/a');
    expect(driver.create('/a').result.err).toBe(ErrorCode.NODEEXISTS);
    expect(driver.create('/').result.err).toBe(ErrorCode.NODEEXISTS);
  });

  it('checks the parent before the full path, as PrepRequestProcessor does', () => {
    const driver = new TreeDriver();
    expect(driver.create('/missing/').result.err).toBe(ErrorCode.NONODE);
    driver.create('/a');
    expect(driver.create('/a/').result.err).toBe(ErrorCode.BADARGUMENTS);
    expect(driver.create('/a/.').result.err).toBe(ErrorCode.BADARGUMENTS);
    expect(driver.create('relative').result.err).toBe(ErrorCode.BADARGUMENTS);
    expect(driver.create('/a\u0000b').result.err).toBe(ErrorCode.BADARGUMENTS);
  });

  it('refuses children of ephemeral nodes with NOCHILDRENFOREPHEMERALS', () => {
    const driver = new TreeDriver();
    driver.openSession();
    driver.create('/e', { mode: CreateMode.EPHEMERAL });
    expect(driver.create('/e/child').result.err).toBe(ErrorCode.NOCHILDRENFOREPHEMERALS);
  });

  it('refuses unknown create modes with BADARGUMENTS', () => {
    expect(new TreeDriver().create('/a', { mode: 7 }).result.err).toBe(ErrorCode.BADARGUMENTS);
  });

  it('validates the ACL before looking at the parent (INVALIDACL first)', () => {
    expect(new TreeDriver().create('/missing/x', { acl: [] }).result.err).toBe(ErrorCode.INVALIDACL);
  });

  it('needs CREATE on the parent', () => {
    const driver = new TreeDriver();
    driver.create('/locked', { acl: aclFor(Perms.ALL & ~Perms.CREATE) });
    expect(driver.create('/locked/x').result.err).toBe(ErrorCode.NOAUTH);
    const bob = { scheme: 'digest', id: digestId('bob', 'pw') };
    driver.create('/bobs', { acl: [{ perms: Perms.CREATE, id: bob }] });
    expect(driver.create('/bobs/x').result.err).toBe(ErrorCode.NOAUTH);
    expect(driver.create('/bobs/x', {}, { authIds: [bob] }).result.err).toBe(0);
  });

  it('expands an auth ACL into the creator’s digest ids', () => {
    const driver = new TreeDriver();
    const bob = { scheme: 'digest', id: digestId('bob', 'pw') };
    const ip = { scheme: 'ip', id: '127.0.0.1' };
    driver.create('/mine', { acl: [{ perms: Perms.ALL, id: { scheme: 'auth', id: '' } }] }, { authIds: [ip, bob] });
    expect(driver.tree.getACL('/mine', [bob])).toMatchObject({ err: 0, acl: [{ perms: Perms.ALL, id: bob }] });
    expect(driver.tree.getData('/mine', [ip]).err).toBe(ErrorCode.NOAUTH);
    expect(driver.create('/other', { acl: [{ perms: Perms.ALL, id: { scheme: 'auth', id: '' } }] }, { authIds: [ip] }).result.err).toBe(ErrorCode.INVALIDACL);
  });
});

describe('sequential create', () => {
  it('gives sequential children a 10-digit suffix from the parent cversion', () => {
    const driver = new TreeDriver();
    driver.create('/q');
    expect(created(driver.create('/q/job-', { mode: CreateMode.PERSISTENT_SEQUENTIAL }).result).path).toBe('/q/job-0000000000');
    driver.create('/q/plain');
    expect(created(driver.create('/q/job-', { mode: CreateMode.PERSISTENT_SEQUENTIAL }).result).path).toBe('/q/job-0000000002');
  });

  it('keeps counting after deletes, because the suffix counts creations', () => {
    const driver = new TreeDriver();
    driver.create('/q');
    driver.create('/q/a');
    driver.apply({ type: 'delete', path: '/q/a', version: -1 });
    expect(created(driver.create('/q/', { mode: CreateMode.PERSISTENT_SEQUENTIAL }).result).path).toBe('/q/0000000001');
    expect(statOf(driver.tree, '/q').cversion).toBe(2 * 2 - 1);
  });

  it('numbers children of the root too', () => {
    const path = created(new TreeDriver().create('/n', { mode: CreateMode.PERSISTENT_SEQUENTIAL }).result).path;
    expect(path).toBe('/n0000000000');
  });

  it('formats negative counters like Java %010d', () => {
    expect(sequentialSuffix(42)).toBe('0000000042');
    expect(sequentialSuffix(-5)).toBe('-000000005');
    expect(sequentialSuffix(2 ** 31 - 1)).toBe('2147483647');
    expect(sequentialSuffix(-(2 ** 31))).toBe('-2147483648');
  });
});

describe('ephemeral, container and TTL nodes', () => {
  it('owns ephemerals by the creating session', () => {
    const driver = new TreeDriver();
    driver.openSession();
    const { stat } = created(driver.create('/e', { mode: CreateMode.EPHEMERAL_SEQUENTIAL }).result);
    expect(stat.ephemeralOwner).toBe(SESSION);
    expect(driver.tree.getEphemerals(SESSION, '/')).toEqual(['/e0000000000']);
  });

  it('refuses ephemerals of an unknown session with SESSIONEXPIRED', () => {
    expect(new TreeDriver().create('/e', { mode: CreateMode.EPHEMERAL }).result.err).toBe(ErrorCode.SESSIONEXPIRED);
  });

  it('shows containers and TTL nodes with ephemeralOwner 0, as ZooKeeper’s copyStat does', () => {
    const driver = new TreeDriver();
    expect(created(driver.create('/c', { mode: CreateMode.CONTAINER }).result).stat.ephemeralOwner).toBe(0n);
    expect(created(driver.create('/t', { mode: CreateMode.PERSISTENT_WITH_TTL, ttlMs: 5000 }).result).stat.ephemeralOwner).toBe(0n);
    expect(driver.tree.nodeKind('/c')).toBe('container');
    expect(driver.tree.nodeKind('/t')).toBe('ttl');
    expect(driver.tree.nodeKind('/zookeeper')).toBe('persistent');
    expect(driver.create('/c/child').result.err).toBe(0);
    expect(driver.create('/t/child').result.err).toBe(0);
  });

  it('requires a TTL in (0, 2^40) for TTL modes and none for other modes', () => {
    const driver = new TreeDriver();
    const ttlCreate = (ttlMs: number | undefined, mode: number = CreateMode.PERSISTENT_WITH_TTL) => driver.create(`/t${driver.upcomingZxid}`, { mode, ttlMs }).result.err;
    expect(ttlCreate(undefined)).toBe(ErrorCode.BADARGUMENTS);
    expect(ttlCreate(0)).toBe(ErrorCode.BADARGUMENTS);
    expect(ttlCreate(-1)).toBe(ErrorCode.BADARGUMENTS);
    expect(ttlCreate(2 ** 40)).toBe(ErrorCode.BADARGUMENTS);
    expect(ttlCreate(1.5)).toBe(ErrorCode.BADARGUMENTS);
    expect(ttlCreate(2 ** 40 - 1)).toBe(0);
    expect(ttlCreate(10, CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL)).toBe(0);
    expect(ttlCreate(10, CreateMode.PERSISTENT)).toBe(ErrorCode.BADARGUMENTS);
    expect(ttlCreate(-1, CreateMode.PERSISTENT)).toBe(0);
  });

  it('accepts the op builder default (no ttl) for plain creates', () => {
    expect(new TreeDriver().apply(createOp('/x')).result.err).toBe(0);
  });
});
