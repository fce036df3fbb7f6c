/**
 * A session resumed on another member of a real 3-process ensemble: the old connection, on the
 * first server, answers SESSIONMOVED (-118) and is closed, as ZooKeeper does. (Real ZooKeeper
 * needs a 3-JVM quorum to show this, too slow for this suite; its behaviour is the reference:
 * the leader refuses the old connection's requests with SESSIONMOVED and the server closes it.)
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { CoordClient } from '../../core/coord/client/coord-client.js';
import { ErrorCode, OpCode } from '../../core/coord/zookeeper-constants.js';
import { startCoordEnsemble, type CoordEnsemble } from '../support/coord.js';
import { RawCoordSession } from '../security/raw-coord-session.js';

let ensemble: CoordEnsemble | undefined;
const sessions: RawCoordSession[] = [];

afterEach(async () => {
  for (const session of sessions.splice(0)) session.close();
  await ensemble?.stop();
  ensemble = undefined;
});

async function open(port: number, resume?: RawCoordSession): Promise<RawCoordSession> {
  const session = await RawCoordSession.open(port, resume && { sessionId: resume.connected.sessionId, password: resume.connected.password });
  sessions.push(session);
  return session;
}

const exists = (session: RawCoordSession, path: string) => session.request(OpCode.exists, (w) => w.string(path).boolean(false));

describe('coord ensemble: a session resumed on another server', () => {
  it('leaves the old connection answering SESSIONMOVED, then closed; the new one serves', async () => {
    ensemble = await startCoordEnsemble({ servers: 3 });
    const [firstPort, secondPort] = [ensemble.ports[0]!, ensemble.ports[1]!];
    const old = await open(firstPort);
    expect((await exists(old, '/')).err).toBe(ErrorCode.OK);
    const moved = await open(secondPort, old);
    expect(moved.connected.sessionId).toBe(old.connected.sessionId);
    // The move is a committed write; a sync through the first server makes it apply there too.
    const observer = await CoordClient.connect(`127.0.0.1:${firstPort}`, { sessionTimeoutMs: 10_000 });
    await observer.sync('/');
    await observer.close();
    expect((await exists(old, '/')).err).toBe(ErrorCode.SESSIONMOVED);
    await old.whenClosed();
    expect((await exists(moved, '/')).err).toBe(ErrorCode.OK);
  }, 60_000);
});
