/**
 * Three serving nodes started with a cluster secret replicate as without one, and a connection to
 * a peer port that does not prove the secret gets no answer and has nothing acted on: a forged
 * LWW write stamped ten years ahead (which would beat every later SET), a read, a hint for another
 * node. The last test is the control: the same forged write from a client that proved the secret
 * does win over a later SET, so the check would catch an outsider's write that got through.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PeerAuthClientSide, PeerSecret } from '../../core/net/peer-auth.js';
import { framed } from '../../test/fuzz/mutate.js';
import { RawConnection } from '../../test/fuzz/raw-connection.js';
import { lwwWrite } from '../quorum/index.js';
import { encodePut } from './peer-messages.js';
import { encodePeerRequest, PeerClient, PeerOp } from './peer-rpc.js';
import { TestServingCluster } from './test-support.js';

const SECRET = PeerSecret.fromBytes(Buffer.from('serving cluster secret, 32 bytes'));
const WRONG_SECRET = PeerSecret.fromBytes(Buffer.from('some other secret of 32 bytes...'));
const IDS = ['a', 'b', 'c'];
const TEN_YEARS_MS = 10 * 365 * 24 * 3_600_000;

/** An LWW write of `value` stamped ten years from now: it beats any honest write for a decade. */
const futureWrite = (value: string) => encodePut(lwwWrite({ wallMs: Date.now() + TEN_YEARS_MS, logical: 0 }, 'outsider', { kind: 'value', value: Buffer.from(value) }));

describe('serving nodes with a peer secret', () => {
  let cluster: TestServingCluster;
  const peerPort = (id: string) => cluster.node(id).membership.snapshot.live.get(id)!.peerPort;
  const clients: PeerClient[] = [];
  const peerClient = (id: string, secret: PeerSecret | undefined) => {
    const client = new PeerClient(id, '127.0.0.1', peerPort(id), { secret, nodeId: 'outsider' });
    clients.push(client);
    return client;
  };
  beforeAll(async () => {
    cluster = await TestServingCluster.start(IDS, { n: 3, r: 2, w: 2, peerSecret: SECRET });
  }, 30_000);
  afterAll(async () => {
    for (const client of clients) await client.close();
    await cluster?.close();
  });

  it('replicates writes to every node and reads them back through any node', async () => {
    await cluster.client('a').set('replicated', 'through authenticated peers');
    for (const id of IDS) expect(await cluster.client(id).get('replicated')).toBe('through authenticated peers');
    // Each node holds its own copy (N = 3), fetched over an authenticated peer connection.
    for (const id of IDS) expect((await peerClient(id, SECRET).request(PeerOp.Get, Buffer.from('replicated'))).length).toBeGreaterThan(0);
  });

  it('closes a raw connection that sends requests without authenticating, answering and applying none', async () => {
    const requests = Buffer.concat([
      framed(encodePeerRequest(PeerOp.Put, Buffer.from('victim'), futureWrite('forged, no handshake'))),
      framed(encodePeerRequest(PeerOp.Put, Buffer.from('victim'), encodePut(lwwWrite({ wallMs: Date.now() + TEN_YEARS_MS, logical: 0 }, 'outsider', { kind: 'value', value: Buffer.from('forged hint') }), 'b'))),
      framed(encodePeerRequest(PeerOp.Get, Buffer.from('replicated'), Buffer.alloc(0))),
    ]);
    for (const id of IDS) {
      const connection = await RawConnection.open(peerPort(id));
      const outcome = await connection.exchange(requests, 5_000);
      connection.destroy();
      expect(outcome.kind).toBe('closed');
      expect(outcome.reply.length).toBe(0);
    }
    await cluster.client('a').set('victim', 'honest');
    for (const id of IDS) expect(await cluster.client(id).get('victim')).toBe('honest');
  });

  it('answers nothing for a client with no secret or a wrong one, and applies nothing it sent', async () => {
    for (const id of IDS) {
      await expect(peerClient(id, undefined).request(PeerOp.Put, Buffer.from('victim-2'), futureWrite('forged, no secret'), 1_000)).rejects.toThrow();
      await expect(peerClient(id, WRONG_SECRET).request(PeerOp.Put, Buffer.from('victim-2'), futureWrite('forged, wrong secret'), 1_000)).rejects.toThrow();
    }
    await cluster.client('a').set('victim-2', 'honest');
    for (const id of IDS) expect(await cluster.client(id).get('victim-2')).toBe('honest');
  });

  it('is refused by a client of another cluster: the node cannot prove that cluster\'s secret', async () => {
    // Roles swapped: the node's own proof is checked by a client holding another cluster's secret.
    const connection = await RawConnection.open(peerPort('a'));
    const side = new PeerAuthClientSide(WRONG_SECRET, 'other cluster');
    const challenge = await connection.exchange(framed(side.hello()));
    connection.destroy();
    expect(challenge.kind).toBe('answered');
    expect(() => side.answerChallenge(challenge.reply.subarray(4))).toThrow(/did not prove the cluster secret/);
  });

  // The control: the checks above would see a forged write that got through.
  it('lets the same forged write win over a later SET when its sender proved the secret', async () => {
    for (const id of IDS) await peerClient(id, SECRET).request(PeerOp.Put, Buffer.from('victim-3'), futureWrite('forged by a member'));
    await cluster.client('a').set('victim-3', 'honest');
    expect(await cluster.client('b').get('victim-3')).toBe('forged by a member');
  });
});
