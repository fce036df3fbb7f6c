/**
 * A three-server ensemble started with a cluster secret: it elects, commits and forwards writes as
 * without one, and a connection to a peer port that does not prove the secret (none sent, or a
 * wrong one) gets nothing acted on — not a Raft message naming the leader as sender, not a
 * forwarded write claiming the "super" auth id against an ACL-protected znode, not a session
 * touch. The last test is the control: the same forged forward over a connection that did prove
 * the secret is believed, so the checks above would see a forgery that got through.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoordClient } from '../client/coord-client.js';
import { CoordNode } from '../coord-node.js';
import { encodeMessage, type Message } from '../raft/index.js';
import { digestId } from '../tree/acl.js';
import { PeerAuthClientSide, PeerSecret, PEER_AUTH_NONCE_BYTES } from '../../net/peer-auth.js';
import { framed } from '../../../test/fuzz/mutate.js';
import { RawConnection } from '../../../test/fuzz/raw-connection.js';
import { freePort } from '../../../test/support/ports.js';
import { until } from '../../../test/support/until.js';
import { PeerFrameKind, type PeerAddress } from './peer-transport.js';
import { encodeLoggedWrite } from './txn-codec.js';

const SERVERS = 3;
const SECRET = PeerSecret.fromBytes(Buffer.from('a cluster secret of thirty-two b'));
const WRONG_SECRET = PeerSecret.fromBytes(Buffer.from('not the cluster secret, 32 bytes'));
const OPEN_ACL = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
const PROTECTED = '/alice-only';
const FORGED = '/forged-by-an-outsider';
const HEADER_BYTES = 5;

function peerFrame(kind: number, payload: Uint8Array, correlationId = 0): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeInt32BE(correlationId, 0);
  header.writeUInt8(kind, 4);
  return framed(Buffer.concat([header, payload]));
}

/** Opens a raw connection to a peer port and runs the handshake with `secret` (the wrong one fails at the server). */
async function handshake(port: number, secret: PeerSecret): Promise<RawConnection> {
  const connection = await RawConnection.open(port);
  const side = new PeerAuthClientSide(secret, 'outsider');
  const challenge = await connection.exchange(framed(side.hello()));
  expect(challenge.kind).toBe('answered');
  const body = challenge.reply.subarray(4);
  if (secret === SECRET) {
    connection.write(framed(side.answerChallenge(body).proof));
  } else {
    // The outsider cannot check the server's proof; it answers with a proof made from its own secret.
    const serverNonce = body.subarray(9, 9 + PEER_AUTH_NONCE_BYTES);
    const clientNonce = side.hello().subarray(9, 9 + PEER_AUTH_NONCE_BYTES);
    const proof = secret.proof('client', clientNonce, serverNonce, 'outsider', body.subarray(9 + 2 * PEER_AUTH_NONCE_BYTES).toString());
    connection.write(framed(Buffer.concat([Buffer.alloc(4), Buffer.from('BPA1'), Buffer.from([3]), proof])));
  }
  return connection;
}

describe('coord ensemble with a peer secret', () => {
  let dir: string;
  let nodes: CoordNode[];
  let peerPorts: number[];
  let client: CoordClient;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'coord-peer-auth-'));
    peerPorts = await Promise.all(Array.from({ length: SERVERS }, freePort));
    const members = new Map<number, PeerAddress>(peerPorts.map((port, i) => [i + 1, { host: '127.0.0.1', port }]));
    nodes = await Promise.all(peerPorts.map((_, i) => CoordNode.start({ serverId: i + 1, members, dataDir: join(dir, `server-${i + 1}`), peerSecret: SECRET })));
    await until('a leader', () => nodes.some((node) => node.replica.status().role === 'leader'), 20_000);
    client = await CoordClient.connect(nodes.map((node) => `127.0.0.1:${node.clientPort}`).join(','), { sessionTimeoutMs: 30_000 });
    await client.addAuth('digest', 'alice:secret');
    await client.create(PROTECTED, 'written by alice', { acl: [{ perms: 31, id: { scheme: 'digest', id: digestId('alice', 'secret') } }] });
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    for (const node of nodes ?? []) await node.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const leaderIndex = () => nodes.findIndex((node) => node.replica.status().role === 'leader');

  /** Every server commits a new write and holds the same tree; alice's znode is hers; nothing forged exists. */
  async function ensembleIsIntact(probe: string): Promise<void> {
    await client.create(`/probe-${probe}`, probe);
    await until('every server applied the same writes', () => new Set(nodes.map((node) => node.replica.tree.lastZxid)).size === 1, 15_000);
    expect(new Set(nodes.map((node) => node.replica.tree.digest())).size).toBe(1);
    for (const node of nodes) {
      const data = node.replica.tree.getData(PROTECTED, [{ scheme: 'super', id: '' }]);
      expect(data.err === 0 ? data.data.toString() : data.err).toBe('written by alice');
      expect(node.replica.tree.exists(FORGED).err).not.toBe(0);
    }
  }

  /** What an outsider sends: an AppendEntries "from the leader" to each follower, a forward with the super id and a touch. */
  function forgeries(): Array<{ port: number; frames: Buffer[] }> {
    const leader = leaderIndex();
    const { term, commitIndex } = nodes[leader]!.replica.status();
    const forgedCreate = encodeLoggedWrite({ op: { type: 'create', path: FORGED, data: Buffer.from('x'), acl: OPEN_ACL, mode: 0 }, sessionId: 0n, authIds: [], timeMs: Date.now() });
    const forgedForward = encodeLoggedWrite({ op: { type: 'setData', path: PROTECTED, data: Buffer.from('overwritten'), version: -1 }, sessionId: 0n, authIds: [{ scheme: 'super', id: '' }], timeMs: 0 });
    const touch = Buffer.alloc(12);
    touch.writeBigInt64BE(0x1234n, 0);
    return nodes.map((_, i) => {
      const append = encodeMessage({ from: leader + 1, to: i + 1, term, type: 'AppendEntries', prevLogIndex: commitIndex, prevLogTerm: term, commit: commitIndex + 1, entries: [{ index: commitIndex + 1, term, kind: 'normal', data: forgedCreate }] } as Message);
      return { port: peerPorts[i]!, frames: [peerFrame(PeerFrameKind.raft, append), peerFrame(PeerFrameKind.forward, forgedForward, 7), peerFrame(PeerFrameKind.touches, touch)] };
    });
  }

  it('elects, commits and forwards writes from followers as without a secret', async () => {
    for (const [i, node] of nodes.entries()) {
      const viaServer = await CoordClient.connect(`127.0.0.1:${node.clientPort}`, { sessionTimeoutMs: 10_000 });
      await viaServer.create(`/via-${i + 1}`, 'forwarded unless this is the leader');
      await viaServer.close();
    }
    await ensembleIsIntact('forwarding');
    for (const node of nodes) expect([1, 2, 3].map((i) => node.replica.tree.exists(`/via-${i}`).err)).toEqual([0, 0, 0]);
  });

  it('closes a connection that sends peer frames without authenticating, acting on none of them', async () => {
    for (const { port, frames } of forgeries()) {
      const connection = await RawConnection.open(port);
      const outcome = await connection.exchange(Buffer.concat(frames), 5_000);
      connection.destroy();
      expect(outcome.kind).toBe('closed');
    }
    await ensembleIsIntact('no-handshake');
  });

  it('closes a connection that proves a different secret, acting on nothing it sends', async () => {
    for (const { port, frames } of forgeries()) {
      const connection = await handshake(port, WRONG_SECRET);
      const outcome = await connection.exchange(Buffer.concat(frames), 5_000);
      connection.destroy();
      expect(outcome.kind).toBe('closed');
    }
    await ensembleIsIntact('wrong-secret');
  });

  // The control: a member (it knows the secret) is trusted with auth ids, so the forged forward
  // lands — the check in ensembleIsIntact would catch an outsider's forgery that got through.
  it('believes the same forged forward from a connection that proved the secret', async () => {
    const leader = leaderIndex();
    const forward = forgeries()[leader]!.frames[1]!;
    const connection = await handshake(peerPorts[leader]!, SECRET);
    const outcome = await connection.exchange(forward, 5_000);
    connection.destroy();
    expect(outcome.kind).toBe('answered');
    await until('the forged write applied everywhere', () => nodes.every((node) => {
      const data = node.replica.tree.getData(PROTECTED, [{ scheme: 'super', id: '' }]);
      return data.err === 0 && data.data.toString() === 'overwritten';
    }), 10_000);
  });
});
