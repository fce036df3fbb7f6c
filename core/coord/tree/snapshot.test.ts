import { describe, expect, it } from '@jest/globals';
import { CreateMode, Perms } from '../zookeeper-constants.js';
import { digestId } from './acl.js';
import { DataTree } from './data-tree.js';
import { CorruptSnapshotError } from './errors.js';
import { SESSION, TreeDriver } from './test-helpers.js';

function populated(): TreeDriver {
  const driver = new TreeDriver();
  driver.openSession();
  driver.create('/app', { data: 'root of app' });
  driver.create('/app/e', { mode: CreateMode.EPHEMERAL_SEQUENTIAL, data: 'eph' });
  driver.create('/c', { mode: CreateMode.CONTAINER });
  driver.create('/t', { mode: CreateMode.PERSISTENT_WITH_TTL, ttlMs: 1234 });
  driver.create('/bob', { acl: [{ perms: Perms.ALL, id: { scheme: 'digest', id: digestId('bob', 'pw') } }] });
  driver.create('/odd', { acl: [{ perms: Perms.READ, id: { scheme: 'digest', id: 'u\ud800:x' } }] });
  driver.apply({ type: 'setData', path: '/app', data: Buffer.from([0, 255, 1]), version: -1 });
  driver.apply({ type: 'delete', path: '/c', version: -1 });
  return driver;
}

describe('snapshots', () => {
  it('round-trips exactly: digest, lastZxid, reads, sessions, ephemerals and node kinds', () => {
    const { tree } = populated();
    const copy = DataTree.deserialize(tree.serialize());
    expect(copy.digest()).toBe(tree.digest());
    expect(copy.lastZxid).toBe(tree.lastZxid);
    expect(copy.sessions()).toEqual(tree.sessions());
    expect(copy.getEphemerals(SESSION, '/')).toEqual(['/app/e0000000000']);
    expect(copy.nodeKind('/t')).toBe('ttl');
    for (const path of ['/', '/app', '/app/e0000000000', '/t', '/bob', '/odd', '/zookeeper/config']) {
      expect(copy.getData(path, [])).toEqual(tree.getData(path, []));
      expect(copy.getACL(path, [{ scheme: 'super', id: '' }])).toEqual(tree.getACL(path, [{ scheme: 'super', id: '' }]));
    }
    expect(copy.serialize()).toEqual(tree.serialize());
    copy.checkInvariants();
  });

  it('is deterministic: the same state always gives the same bytes', () => {
    expect(populated().tree.serialize()).toEqual(populated().tree.serialize());
  });

  it('keeps working after a restore, continuing the sequence counters', () => {
    const copy = DataTree.deserialize(populated().tree.serialize());
    const outcome = copy.apply({ type: 'create', path: '/app/e', data: Buffer.alloc(0), acl: [{ perms: Perms.ALL, id: { scheme: 'world', id: 'anyone' } }], mode: CreateMode.PERSISTENT_SEQUENTIAL }, { zxid: 100n, timeMs: 1, sessionId: SESSION, authIds: [] });
    expect(outcome.result).toMatchObject({ err: 0, path: '/app/e0000000001' });
  });

  it('rejects damaged snapshots with CorruptSnapshotError', () => {
    const bytes = populated().tree.serialize();
    const flipped = Buffer.from(bytes);
    flipped[40] = flipped[40]! ^ 0xff;
    expect(() => DataTree.deserialize(flipped)).toThrow(CorruptSnapshotError);
    expect(() => DataTree.deserialize(bytes.subarray(0, bytes.length - 1))).toThrow(CorruptSnapshotError);
    expect(() => DataTree.deserialize(Buffer.alloc(10))).toThrow(CorruptSnapshotError);
    expect(() => DataTree.deserialize(Buffer.alloc(0))).toThrow(/corrupt/);
  });

  it('leaves lastZxid out of the digest: a no-op changes the zxid, not the state', () => {
    const driver = populated();
    const digest = driver.tree.digest();
    driver.apply({ type: 'noop' });
    expect(driver.tree.digest()).toBe(digest);
  });
});
