/**
 * A session resumed on another server (or connection) leaves its older connection answering
 * SESSIONMOVED and closing, as ZooKeeper does. Two CoordServers on one LocalReplica stand for two
 * members of an ensemble: both apply the same writes, which is how the move reaches the first.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { LocalReplica } from '../replication/local-replica.js';
import { ErrorCode, OpCode } from '../zookeeper-constants.js';
import { CoordServer } from './coord-server.js';
import { RawCoordSession } from '../../../test/security/raw-coord-session.js';

let replica: LocalReplica;
let first: CoordServer;
let second: CoordServer;
const sessions: RawCoordSession[] = [];

beforeEach(async () => {
  replica = new LocalReplica(1, 20);
  first = new CoordServer(replica, { tickTimeMs: 100 });
  second = new CoordServer(replica, { tickTimeMs: 100 });
  await Promise.all([first.listen(), second.listen()]);
});

afterEach(async () => {
  for (const session of sessions.splice(0)) session.close();
  await Promise.all([first.close(), second.close()]);
  await replica.close();
});

async function open(server: CoordServer, resume?: RawCoordSession): Promise<RawCoordSession> {
  const session = await RawCoordSession.open(server.address().port, resume && { sessionId: resume.connected.sessionId, password: resume.connected.password });
  sessions.push(session);
  return session;
}

const exists = (session: RawCoordSession, path: string) => session.request(OpCode.exists, (w) => w.string(path).boolean(false));

describe('a session resumed elsewhere', () => {
  it('answers the old connection on the first server with SESSIONMOVED, then closes it', async () => {
    const old = await open(first);
    expect((await exists(old, '/')).err).toBe(ErrorCode.OK);
    const moved = await open(second, old);
    expect(moved.connected.sessionId).toBe(old.connected.sessionId);
    expect((await exists(old, '/')).err).toBe(ErrorCode.SESSIONMOVED);
    await old.whenClosed();
    expect((await exists(moved, '/')).err).toBe(ErrorCode.OK);
  });

  it('does not let the old connection write after the move', async () => {
    const old = await open(first);
    await open(second, old);
    const create = await old.request(OpCode.create, (w) => w.string('/from-old').buffer_(Buffer.alloc(0)).vector([{ perms: 31, id: { scheme: 'world', id: 'anyone' } }], (v, acl) => v.int(acl.perms).string(acl.id.scheme).string(acl.id.id)).int(0));
    expect(create.err).toBe(ErrorCode.SESSIONMOVED);
    expect(replica.tree.nodeKind('/from-old')).toBeUndefined();
  });

  it('closes the old connection at once when the session is resumed on the same server', async () => {
    const old = await open(first);
    await open(first, old);
    await old.whenClosed();
  });
});
