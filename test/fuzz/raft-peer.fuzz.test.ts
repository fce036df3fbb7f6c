/**
 * A three-server coord ensemble's server-to-server port (peer-transport: Raft messages, forwarded
 * writes, session touches) under mutated frames. Valid frames come from the real encoders (every
 * Raft message type, AppendEntries carrying real logged writes, an InstallSnapshot of a real tree,
 * forwarded writes, touches), are mutated (FUZZ_SEED= replays a run) and sent to every member.
 *
 * Raft frames claim to come from a peer that is not a member, so each must be dropped: after every
 * batch the ensemble still commits a write, every server applies the same tree (equal digests at
 * equal zxids), the value written before the fuzz is unchanged and nothing the bogus peer sent
 * (a forged create, a forged snapshot) appears anywhere. A forwarded write is answered or its
 * connection closed, never left hanging; heap stays bounded.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { CoordClient } from '../../core/coord/client/coord-client.js';
import { CoordNode } from '../../core/coord/coord-node.js';
import { decodeMessage, encodeMessage, MAX_MESSAGE_TERM, MAX_RAFT_INDEX, MAX_RAFT_TERM, type Message, type MessageBody } from '../../core/coord/raft/index.js';
import { PeerFrameKind, type PeerAddress } from '../../core/coord/replication/peer-transport.js';
import { zxidOf } from '../../core/coord/replication/raft-replica.js';
import { encodeLoggedWrite } from '../../core/coord/replication/txn-codec.js';
import { DataTree, type WriteOp } from '../../core/coord/tree/index.js';
import { CreateMode } from '../../core/coord/zookeeper-constants.js';
import { FrameServer } from '../../core/net/index.js';
import { freePort } from '../support/ports.js';
import { until } from '../support/until.js';
import { framed, fuzzSeed, Mutator } from './mutate.js';
import { claimTwoGigabytes, MAX_HEAP_GROWTH_BYTES, MAX_HUGE_CLAIM_RSS_GROWTH_BYTES, memoryAfterGc, OutcomeTally, RawConnection, REPLY_WAIT_MS } from './raw-connection.js';

const MUTANTS = 5_000;
const BATCH = 60;
const SERVERS = 3;
/** Batches of mutants sent to the server that takes the test for its leader, and mutants per batch. */
const IMPERSONATED_BATCHES = 60;
const IMPERSONATED_BATCH = 40;
/** A sender id no member has, and far (in bits) from every member's, so a mutation seldom makes it one. */
const BOGUS_PEER = 0x5a5a_5a5a;
const CANARY = '/canary-written-before-the-fuzz';
const FORGED = '/forged-by-a-bogus-peer';
const HEADER_BYTES = 5;
/** Offsets, in a framed peer frame, of int32 fields worth lying about: the frame length, then in a
 * Raft message the term, and in an AppendEntries the entry count and the first entry's data length. */
const INT32_FIELDS = [0, 19, 35, 48];
const OPEN_ACL = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];

function peerFrame(kind: number, payload: Uint8Array, correlationId = 0): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeInt32BE(correlationId, 0);
  header.writeUInt8(kind, 4);
  return Buffer.concat([header, payload]);
}

const loggedWrite = (op: WriteOp) => encodeLoggedWrite({ op, sessionId: 0n, authIds: [], timeMs: Date.now() });

/** A tree holding the forged node, as a bogus leader would snapshot it. */
function forgedSnapshot(): Uint8Array {
  const tree = new DataTree();
  tree.apply({ type: 'create', path: FORGED, data: Buffer.from('snapshot'), acl: OPEN_ACL, mode: 0 }, { zxid: zxidOf(1, 1), timeMs: 0, sessionId: 0n, authIds: [] });
  return tree.serialize();
}

/** Every Raft message type from the bogus peer to `to`, at terms around `term` and log positions around `index`. */
function raftMessages(to: number, term: number, logIndex: number, names: readonly string[]): Buffer[] {
  // A forged snapshot may have moved the log to the top of the index space: stay encodable.
  const index = Math.min(logIndex, MAX_RAFT_INDEX - 1_000);
  const forgedCreate = loggedWrite({ type: 'create', path: FORGED, data: Buffer.from('entry'), acl: OPEN_ACL, mode: 0 });
  const bodies: MessageBody[] = [
    { type: 'PreVote', lastLogIndex: index + 10, lastLogTerm: term + 1 },
    { type: 'RequestVote', lastLogIndex: index + 10, lastLogTerm: term + 1 },
    { type: 'PreVoteResponse', granted: true },
    { type: 'RequestVoteResponse', granted: true },
    { type: 'AppendEntries', prevLogIndex: index, prevLogTerm: term, commit: index + 2, entries: [{ index: index + 1, term, kind: 'normal', data: forgedCreate }, { index: index + 2, term, kind: 'noop', data: new Uint8Array(0) }] },
    { type: 'AppendEntries', prevLogIndex: 0, prevLogTerm: 0, commit: 1, entries: names.map((name, offset) => ({ index: offset + 1, term: term + 1, kind: 'normal' as const, data: loggedWrite({ type: 'setData', path: CANARY, data: Buffer.from(name), version: -1 }) })) },
    { type: 'AppendEntriesResponse', success: true, index: index + 5, hintIndex: 0, hintTerm: 0 },
    { type: 'Heartbeat', commit: index + 100 },
    { type: 'HeartbeatResponse' },
    { type: 'InstallSnapshot', snapshot: { index: index + 50, term, data: forgedSnapshot() } },
    { type: 'InstallSnapshotResponse', index: index + 5 },
  ];
  return [term, term + 1].flatMap((messageTerm) => bodies.map((body) => peerFrame(PeerFrameKind.raft, encodeMessage({ from: BOGUS_PEER, to, term: messageTerm, ...body } as Message))));
}

/** Forwarded writes (what a follower sends its leader) and session touches, names and data from fast-check. */
function forwardsAndTouches(seed: number): Buffer[] {
  const samples = fc.sample(fc.tuple(fc.stringMatching(/^[a-z0-9]{1,8}$/), fc.uint8Array({ maxLength: 24 }), fc.bigInt({ min: 1n, max: 2n ** 62n })), { seed, numRuns: 8 });
  return samples.flatMap(([name, bytes, sessionId], index) => {
    const path = `/forwarded-${name}`;
    const data = Buffer.from(bytes);
    const touches = Buffer.alloc(24);
    touches.writeBigInt64BE(sessionId, 0);
    touches.writeInt32BE(4_000, 8);
    touches.writeBigInt64BE(sessionId + 1n, 12);
    touches.writeInt32BE(30_000, 20);
    return [
      peerFrame(PeerFrameKind.forward, loggedWrite({ type: 'create', path, data, acl: OPEN_ACL, mode: index % 4 }), index + 1),
      peerFrame(PeerFrameKind.forward, loggedWrite({ type: 'setData', path, data, version: -1 }), index + 100),
      peerFrame(PeerFrameKind.forward, loggedWrite({ type: 'delete', path, version: -1 }), index + 200),
      peerFrame(PeerFrameKind.forward, loggedWrite({ type: 'multi', ops: [{ type: 'create', path: `${path}-m`, data, acl: OPEN_ACL, mode: 0 }, { type: 'check', path: `${path}-m`, version: 0 }] }), index + 300),
      peerFrame(PeerFrameKind.forward, loggedWrite({ type: 'createSession', sessionId, timeoutMs: 4_000 }), index + 400),
      peerFrame(PeerFrameKind.forward, loggedWrite({ type: 'noop' }), index + 500),
      peerFrame(PeerFrameKind.touches, touches),
    ];
  });
}

/** Whether `bytes` holds a forwarded write whose answer (or the connection closing) must come back. */
function awaitsReaction(bytes: Buffer): boolean {
  for (let offset = 0; bytes.length - offset >= 4; ) {
    const length = bytes.readInt32BE(offset);
    if (length < 0) return true;
    if (bytes.length - offset - 4 < length) return false; // the server waits for the rest
    if (length < HEADER_BYTES) return true;
    if (bytes.readUInt8(offset + 8) !== PeerFrameKind.raft && bytes.readUInt8(offset + 8) !== PeerFrameKind.touches) return true;
    offset += 4 + length;
  }
  return false;
}

describe('coord ensemble peer port under mutated frames', () => {
  const seed = fuzzSeed('raft-peer');
  let dir: string;
  let nodes: CoordNode[];
  let peerPorts: number[];
  let client: CoordClient;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fuzz-raft-peer-'));
    peerPorts = await Promise.all(Array.from({ length: SERVERS }, freePort));
    const members = new Map<number, PeerAddress>(peerPorts.map((port, i) => [i + 1, { host: '127.0.0.1', port }]));
    nodes = await Promise.all(peerPorts.map((_, i) => CoordNode.start({ serverId: i + 1, members, dataDir: join(dir, `server-${i + 1}`) })));
    await until('a leader', () => nodes.some((node) => node.replica.status().role === 'leader'), 20_000);
    client = await CoordClient.connect(nodes.map((node) => `127.0.0.1:${node.clientPort}`).join(','), { sessionTimeoutMs: 30_000 });
    await client.create(CANARY, `seed ${seed}`);
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    for (const node of nodes ?? []) await node.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** The ensemble commits a write, and every server holds the same tree, with the canary unchanged and nothing forged. */
  async function ensembleIsSound(probe: string): Promise<void> {
    await client.setData(CANARY, `seed ${seed}`);
    await client.create(`/probe-${probe}`, probe);
    await until('every server applied the same writes', () => new Set(nodes.map((node) => node.replica.tree.lastZxid)).size === 1, 15_000);
    expect(new Set(nodes.map((node) => node.replica.tree.digest())).size).toBe(1);
    for (const node of nodes) {
      const canary = node.replica.tree.getData(CANARY, []);
      expect(canary.err === 0 ? canary.data.toString() : canary.err).toBe(`seed ${seed}`);
      expect(node.replica.tree.exists(FORGED).err).not.toBe(0);
    }
  }

  it('drops every Raft message from a bogus peer, answers or closes on every forwarded write, and stays one consistent ensemble', async () => {
    const mutator = new Mutator(seed);
    const others = forwardsAndTouches(seed);
    const tally = new OutcomeTally();
    const hangs: string[] = [];
    const before = memoryAfterGc();
    for (let start = 0, batch = 0; start < MUTANTS; start += BATCH, batch += 1) {
      const targets = nodes.map((node, i) => {
        const { term, commitIndex } = node.replica.status();
        return raftMessages(i + 1, term, commitIndex, [`a${batch}`, `b${batch}`]);
      });
      await Promise.all(Array.from({ length: Math.min(BATCH, MUTANTS - start) }, async () => {
        const target = mutator.below(SERVERS);
        const valid = Buffer.concat(Array.from({ length: 1 + mutator.below(2) }, () => framed(mutator.below(3) === 0 ? mutator.pick(others) : mutator.pick(targets[target]!))));
        const { bytes } = mutator.mutate(valid, { lengthFieldOffsets: INT32_FIELDS });
        const connection = await RawConnection.open(peerPorts[target]!);
        connection.write(bytes);
        if (awaitsReaction(bytes)) {
          const outcome = await connection.next(REPLY_WAIT_MS);
          if (tally.add(outcome, bytes) === 'silent') hangs.push(bytes.toString('hex').slice(0, 300));
        }
        connection.destroy();
      }));
      await ensembleIsSound(`${batch}`);
    }
    const after = memoryAfterGc();
    process.stdout.write(`${tally.summary('raft-peer')}; heap ${((after.heapUsedBytes - before.heapUsedBytes) / 1e6).toFixed(1)} MB; terms ${nodes.map((node) => node.replica.status().term).join(',')}\n`);
    expect(hangs.slice(0, 5)).toEqual([]);
    expect(after.heapUsedBytes - before.heapUsedBytes).toBeLessThan(MAX_HEAP_GROWTH_BYTES);
  }, 120_000);

  // Regression: the leader proposed whatever JSON a forward carried; this ACL entry without an id
  // was committed, threw inside apply on every member, and stopped the whole ensemble for good.
  it('refuses a forwarded write the tree could not apply, and keeps committing', async () => {
    const leader = nodes.findIndex((node) => node.replica.status().role === 'leader');
    const poison = Buffer.from(JSON.stringify({ op: { type: 'create', path: '/poison', data: { $x: '' }, acl: [{ perms: 31 }], mode: 0 }, sessionId: { $b: '0' }, authIds: [], timeMs: 0 }));
    const connection = await RawConnection.open(peerPorts[leader]!);
    const outcome = await connection.exchange(framed(peerFrame(PeerFrameKind.forward, poison, 7)));
    connection.destroy();
    expect(outcome.kind).toBe('answered');
    expect(outcome.reply.subarray(4 + HEADER_BYTES).toString()).toBe('bad write');
    await ensembleIsSound('after-poison');
  });

  // Regression: the leader took the time-out in a touch as the session's; touching every session
  // with 0 expired them all (and their ephemeral nodes) within a second.
  it('does not let a session touch shorten a session', async () => {
    await client.create('/ephemeral-of-a-live-session', 'alive', { mode: CreateMode.EPHEMERAL });
    const leader = nodes.find((node) => node.replica.status().role === 'leader')!;
    const sessions = leader.replica.tree.sessions();
    const touches = Buffer.alloc(12 * sessions.length);
    sessions.forEach(({ sessionId }, i) => touches.writeBigInt64BE(sessionId, 12 * i));
    const connection = await RawConnection.open(peerPorts[nodes.indexOf(leader)]!);
    // Touches across several expiry checks (every 500 ms), so the real ones a follower sends for the
    // client's session cannot mask them; the session's own time-out is 30 s.
    for (let sent = 0; sent < 25; sent += 1) {
      connection.write(framed(peerFrame(PeerFrameKind.touches, touches)));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    connection.destroy();
    expect(leader.replica.tree.exists('/ephemeral-of-a-live-session').err).toBe(0);
    await ensembleIsSound('after-touches');
  });

  it('refuses a frame claiming 2 GB without reserving it', async () => {
    const claim = await claimTwoGigabytes(await RawConnection.open(peerPorts[0]!));
    expect(claim.outcome).toBe('closed');
    expect(claim.rssGrowthBytes).toBeLessThan(MAX_HUGE_CLAIM_RSS_GROWTH_BYTES);
    await ensembleIsSound('after-claim');
  });
});

/**
 * One real server whose only other member, 2, is played by the test: a frame server on member 2's
 * peer port receives what server 1 sends it, and frames "from member 2" go to server 1 over a plain
 * TCP connection. Nothing authenticates that connection (docs/coord.md, Security): server 1 takes
 * the test for its leader.
 */
describe('coord server fed by a connection claiming to be its leader', () => {
  const seed = fuzzSeed('raft-peer-impersonated');
  const FAKE_LEADER = 2;
  let dir: string;
  let node: CoordNode;
  let fakePeer: FrameServer;
  let port: number;
  const received: Message[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fuzz-raft-impersonated-'));
    const [realPort, fakePort] = await Promise.all([freePort(), freePort()]);
    port = realPort!;
    fakePeer = new FrameServer((frame) => {
      if (frame.readUInt8(4) === PeerFrameKind.raft) received.push(decodeMessage(frame.subarray(HEADER_BYTES)));
      return undefined;
    }, { port: fakePort });
    await fakePeer.listen();
    const members = new Map<number, PeerAddress>([[1, { host: '127.0.0.1', port }], [FAKE_LEADER, { host: '127.0.0.1', port: fakePort! }]]);
    node = await CoordNode.start({ serverId: 1, members, dataDir: dir });
  });
  afterAll(async () => {
    await node?.stop();
    await fakePeer?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function sendAsLeader(body: MessageBody, term = node.replica.status().term): Promise<void> {
    const connection = await RawConnection.open(port);
    connection.write(framed(peerFrame(PeerFrameKind.raft, encodeMessage({ from: FAKE_LEADER, to: 1, term, ...body } as Message))));
    await new Promise((resolve) => setTimeout(resolve, 20));
    connection.destroy();
  }

  /** Server 1 still runs its Raft loop: a heartbeat at its current term is answered. */
  async function stillFollows(): Promise<void> {
    const answered = received.length;
    await until('a heartbeat answered', async () => {
      await sendAsLeader({ type: 'Heartbeat', commit: 0 });
      return received.slice(answered).some((message) => message.type === 'HeartbeatResponse');
    }, 10_000, 200);
  }

  // Regression: apply() threw on an entry that did not decode as a write, and the server stopped.
  it('skips a committed entry that is not a write, and applies the entries after it', async () => {
    const term = node.replica.status().term + 1;
    const after = loggedWrite({ type: 'create', path: '/after-the-bad-entry', data: Buffer.from('ok'), acl: OPEN_ACL, mode: 0 });
    await sendAsLeader({ type: 'AppendEntries', prevLogIndex: 0, prevLogTerm: 0, commit: 2, entries: [{ index: 1, term, kind: 'normal', data: Buffer.from('not a write') }, { index: 2, term, kind: 'normal', data: after }] }, term);
    await until('the entry after the bad one applied', () => node.replica.tree.exists('/after-the-bad-entry').err === 0, 10_000);
    await stillFollows();
  });

  // Regression: a term of 2^31 - 1 was adopted; the server could then never campaign again, and
  // encoding its next PreVote (term + 1) threw in the Ready loop, which stopped it.
  it('ignores a message whose term would exhaust the term space', async () => {
    await sendAsLeader({ type: 'Heartbeat', commit: 0 }, MAX_RAFT_TERM);
    await stillFollows();
    expect(node.replica.status().term).toBeLessThanOrEqual(MAX_MESSAGE_TERM);
  });

  // Regression: a snapshot that was not a tree was persisted, then threw in restore, stopping the
  // server — and again at every start, since the bad snapshot was on disk.
  it('drops an InstallSnapshot whose data is not a tree', async () => {
    const { term, commitIndex } = node.replica.status();
    await sendAsLeader({ type: 'InstallSnapshot', snapshot: { index: commitIndex + 1_000, term: term + 1, data: Buffer.from('not a tree') } }, term + 1);
    await stillFollows();
    expect(node.replica.status().commitIndex).toBe(commitIndex);
  });

  it('keeps following (or refusing) through mutated messages from its leader', async () => {
    const mutator = new Mutator(seed);
    for (let batch = 0; batch < IMPERSONATED_BATCHES; batch += 1) {
      const { term, commitIndex } = node.replica.status();
      const valid = raftMessages(1, term, commitIndex, [`x${batch}`]).map((frame) => {
        const message = decodeMessage(frame.subarray(HEADER_BYTES));
        return peerFrame(PeerFrameKind.raft, encodeMessage({ ...message, from: FAKE_LEADER }));
      });
      const connection = await RawConnection.open(port);
      for (let i = 0; i < IMPERSONATED_BATCH; i += 1) connection.write(framed(mutator.mutate(mutator.pick(valid), { lengthFieldOffsets: INT32_FIELDS }).bytes));
      await new Promise((resolve) => setTimeout(resolve, 50));
      connection.destroy();
      await stillFollows();
    }
    process.stdout.write(`[fuzz] raft-peer-impersonated: term ${node.replica.status().term}, commit ${node.replica.status().commitIndex}\n`);
  }, 120_000);
});
