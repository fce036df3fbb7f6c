/**
 * The serving layer's node-to-node port (peer-rpc: reads, writes and hints, CAS Paxos, anti-entropy,
 * size) under mutated requests. Valid requests come from the real encoders with fast-check keys and
 * values, are mutated (FUZZ_SEED= replays a run) and sent to a real serving node, several per
 * connection. Every complete frame is answered with its own id and a known status, a frame the
 * decoder must refuse closes the connection, nothing hangs; after each batch the node still answers
 * its Redis clients (a value written before the fuzz reads back unchanged) and a real peer client,
 * and its heap stays bounded.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { encodeLeafList, encodePartition } from '../../serving/node/anti-entropy-messages.js';
import { encodePut } from '../../serving/node/peer-messages.js';
import { encodePeerRequest, MAX_PEER_FRAME_BYTES, PeerClient, PeerOp, PeerStatus } from '../../serving/node/peer-rpc.js';
import { TestServingCluster } from '../../serving/node/test-support.js';
import { encodeBallot, encodeProposal, type Ballot } from '../../serving/paxos/index.js';
import { dvvWrite, encodeVersionedValue, lwwWrite } from '../../serving/quorum/index.js';
import { EMPTY_VERSION_VECTOR } from '../../core/clock/index.js';
import { lwwArbitrary } from '../../serving/quorum/test-support.js';
import { command, replyEnd } from '../../serving/resp/test-support.js';
import { framed, fuzzSeed, Mutator } from './mutate.js';
import { claimTwoGigabytes, MAX_HEAP_GROWTH_BYTES, MAX_HUGE_CLAIM_RSS_GROWTH_BYTES, memoryAfterGc, OutcomeTally, RawConnection, type Outcome } from './raw-connection.js';

const MUTANTS = 6_000;
const BATCH = 50;
const NODE_ID = 'fuzzed';
/** Offsets, in a framed request, of its int32 fields worth lying about: frame length, correlation id, key length. */
const REQUEST_INT32_FIELDS = [0, 4, 9];
const CANARY_KEY = 'canary-written-before-the-fuzz';
const KNOWN_STATUSES: readonly number[] = Object.values(PeerStatus);

const respReplyEnd = (received: Buffer) => (received.length === 0 ? -1 : replyEnd(received, 0));

/** Valid peer requests (each op the node serves), keys and values from fast-check. */
function validRequests(seed: number): Buffer[] {
  const samples = fc.sample(fc.tuple(fc.stringMatching(/^[a-z0-9]{1,12}$/), lwwArbitrary, fc.uint8Array({ maxLength: 24 }), fc.nat(63)), { seed, numRuns: 10 });
  const requests: Buffer[] = [];
  for (const [index, [name, value, bytes, partition]] of samples.entries()) {
    const key = Buffer.from(`fz-${name}`);
    const ballot: Ballot = { timestamp: { wallMs: Date.now() + index, logical: index }, nodeId: 'fuzzer' };
    const operationId = `op-${name}`;
    const proposal = encodeProposal({ ballot, operationId, height: 1, value: Buffer.from(bytes), history: [operationId] });
    const fresh = lwwWrite({ wallMs: Date.now(), logical: index }, 'fuzzer', { kind: 'value', value: Buffer.from(bytes) });
    requests.push(
      encodePeerRequest(PeerOp.Ping, Buffer.alloc(0), Buffer.alloc(0)),
      encodePeerRequest(PeerOp.Get, key, Buffer.alloc(0)),
      encodePeerRequest(PeerOp.Put, key, encodePut(fresh)),
      encodePeerRequest(PeerOp.Put, key, encodePut(value, 'some-other-node')),
      encodePeerRequest(PeerOp.PaxosPrepare, key, encodeBallot(ballot)),
      encodePeerRequest(PeerOp.PaxosPropose, key, proposal),
      encodePeerRequest(PeerOp.PaxosCommit, key, proposal),
      encodePeerRequest(PeerOp.ReadKeys, encodePartition(partition), Buffer.alloc(0)),
      encodePeerRequest(PeerOp.MerkleLeaves, encodePartition(partition), Buffer.from(encodeVersionedValue(value).subarray(0, 32))),
      encodePeerRequest(PeerOp.MerkleLeafKeys, encodePartition(partition), encodeLeafList([0, index % 4])),
      encodePeerRequest(PeerOp.Size, Buffer.alloc(0), Buffer.alloc(0)),
    );
  }
  // Each request its own correlation id, as a real client numbers them.
  requests.forEach((request, id) => request.writeInt32BE(id + 1, 0));
  return requests;
}

/** What a correct node must do with `bytes`: the ids it answers in order, then whether it must close. */
function expectedReaction(bytes: Buffer): { ids: number[]; closes: boolean; unanswerable: boolean } {
  const ids: number[] = [];
  let offset = 0;
  while (bytes.length - offset >= 4) {
    const length = bytes.readInt32BE(offset);
    if (length < 0 || length > MAX_PEER_FRAME_BYTES) return { ids, closes: true, unanswerable: false };
    if (bytes.length - offset - 4 < length) break;
    // A frame too short to hold a correlation id cannot be answered: the connection closes.
    if (length < 4) return { ids, closes: true, unanswerable: true };
    ids.push(bytes.readInt32BE(offset + 4));
    offset += 4 + length;
  }
  return { ids, closes: false, unanswerable: false };
}

describe('serving peer port under mutated requests', () => {
  const seed = fuzzSeed('serving-peer');
  let cluster: TestServingCluster;
  let peerPort: number;
  let peer: PeerClient;
  beforeAll(async () => {
    cluster = await TestServingCluster.start([NODE_ID], { n: 1, r: 1, w: 1 });
    peerPort = cluster.node(NODE_ID).membership.snapshot.live.get(NODE_ID)!.peerPort;
    peer = new PeerClient(NODE_ID, '127.0.0.1', peerPort);
    await cluster.client(NODE_ID).set(CANARY_KEY, `seed ${seed}`);
  });
  afterAll(async () => {
    await peer.close();
    await cluster.close();
  });

  /** The node answers Redis clients and its peers, and the canary still holds its value. */
  async function stillServes(): Promise<void> {
    const redis = await RawConnection.open(cluster.node(NODE_ID).respPort, respReplyEnd);
    expect((await redis.exchange(command('PING'))).reply.toString()).toBe('+PONG\r\n');
    expect((await redis.exchange(command('GET', CANARY_KEY))).reply.toString()).toBe(`$${`seed ${seed}`.length}\r\nseed ${seed}\r\n`);
    redis.destroy();
    expect(await peer.request(PeerOp.Ping, Buffer.alloc(0))).toEqual(Buffer.alloc(0));
  }

  it('answers every whole request with its id, closes on what it cannot decode, keeps serving, and keeps its memory', async () => {
    const mutator = new Mutator(seed);
    const requests = validRequests(seed);
    const tally = new OutcomeTally();
    const wrong: string[] = [];
    const statuses = new Map<number, number>();
    const before = memoryAfterGc();
    for (let start = 0; start < MUTANTS; start += BATCH) {
      const mutants = Array.from({ length: Math.min(BATCH, MUTANTS - start) }, () => {
        const valid = Buffer.concat(Array.from({ length: 1 + mutator.below(3) }, () => framed(mutator.pick(requests))));
        return mutator.mutate(valid, { lengthFieldOffsets: REQUEST_INT32_FIELDS }).bytes;
      });
      await Promise.all(mutants.map(async (bytes) => {
        const expected = expectedReaction(bytes);
        const connection = await RawConnection.open(peerPort);
        connection.write(bytes);
        const seen: Outcome[] = [];
        for (const id of expected.ids) {
          const outcome = await connection.next();
          seen.push(outcome);
          tally.add(outcome, bytes);
          // A frame that fails after earlier ones may close the connection before their answers leave.
          if (outcome.kind === 'closed' && expected.unanswerable) break;
          if (outcome.kind !== 'answered') wrong.push(`no answer to id ${id} (${outcome.kind}): ${bytes.toString('hex').slice(0, 200)}`);
          else statuses.set(outcome.reply.readUInt8(8), (statuses.get(outcome.reply.readUInt8(8)) ?? 0) + 1);
          if (outcome.kind === 'answered' && (outcome.reply.readInt32BE(4) !== id || !KNOWN_STATUSES.includes(outcome.reply.readUInt8(8)))) wrong.push(`answer ${outcome.reply.subarray(0, 9).toString('hex')} to id ${id}: ${bytes.toString('hex').slice(0, 200)}`);
        }
        if (expected.closes && seen.at(-1)?.kind !== 'closed') {
          const outcome = await connection.next();
          tally.add(outcome, bytes);
          if (outcome.kind !== 'closed') wrong.push(`kept open (${outcome.kind}) after an undecodable frame: ${bytes.toString('hex').slice(0, 200)}`);
        }
        connection.destroy();
      }));
      await stillServes();
    }
    const after = memoryAfterGc();
    process.stdout.write(`${tally.summary('serving-peer')}; heap ${((after.heapUsedBytes - before.heapUsedBytes) / 1e6).toFixed(1)} MB; statuses ${JSON.stringify(Object.fromEntries(statuses))}\n`);
    expect(wrong.slice(0, 10)).toEqual([]);
    expect(after.heapUsedBytes - before.heapUsedBytes).toBeLessThan(MAX_HEAP_GROWTH_BYTES);
  }, 90_000);

  it('refuses a frame claiming 2 GB without reserving it', async () => {
    const claim = await claimTwoGigabytes(await RawConnection.open(peerPort));
    expect(claim.outcome).toBe('closed');
    expect(claim.rssGrowthBytes).toBeLessThan(MAX_HUGE_CLAIM_RSS_GROWTH_BYTES);
    await stillServes();
  });

  it('answers a request written one byte at a time', async () => {
    const connection = await RawConnection.open(peerPort);
    const request = encodePeerRequest(PeerOp.Get, Buffer.from(CANARY_KEY), Buffer.alloc(0));
    request.writeInt32BE(77, 0);
    await connection.writeByteByByte(framed(request));
    const outcome = await connection.next();
    connection.destroy();
    expect(outcome.kind).toBe('answered');
    expect([outcome.reply.readInt32BE(4), outcome.reply.readUInt8(8)]).toEqual([77, PeerStatus.Ok]);
  });

  // Regression: a hint for any node id was stored and retried every second forever (nothing can
  // take it), and enough of them (MAX_HINTS) made the node refuse real hinted handoff.
  it('refuses a hint for a node that is not in the ring', async () => {
    const pending = cluster.node(NODE_ID).hints.pending;
    const value = lwwWrite({ wallMs: Date.now(), logical: 0 }, 'fuzzer', { kind: 'value', value: Buffer.from('hinted') });
    await expect(peer.request(PeerOp.Put, Buffer.from('hinted-key'), encodePut(value, 'no-such-node'))).rejects.toThrow(/no such node in the ring/);
    expect(cluster.node(NODE_ID).hints.pending).toBe(pending);
    await stillServes();
  });

  it('answers a request whose key runs past the frame with an error, and keeps the connection', async () => {
    const connection = await RawConnection.open(peerPort);
    const request = encodePeerRequest(PeerOp.Get, Buffer.from('key'), Buffer.alloc(0));
    request.writeUInt32BE(0xffff_ffff, 5);
    const refused = await connection.exchange(framed(request));
    const ping = await connection.exchange(framed(encodePeerRequest(PeerOp.Ping, Buffer.alloc(0), Buffer.alloc(0))));
    connection.destroy();
    expect(refused.reply.readUInt8(8)).toBe(PeerStatus.Error);
    expect(refused.reply.subarray(9).toString()).toMatch(/key overruns/);
    expect(ping.reply.readUInt8(8)).toBe(PeerStatus.Ok);
  });
});

describe('serving peer port, a node holding hints for another', () => {
  let cluster: TestServingCluster;
  let peer: PeerClient;
  beforeAll(async () => {
    cluster = await TestServingCluster.start(['holder', 'intended'], { n: 1, r: 1, w: 1 });
    peer = new PeerClient('holder', '127.0.0.1', cluster.node('holder').membership.snapshot.live.get('holder')!.peerPort);
  });
  afterAll(async () => {
    await peer.close();
    await cluster.close();
  });

  // Regression: a hint in the other conflict mode than the copy held for its key (LWW vs DVV) was
  // stored; every read of the key on this node then failed to merge them, and so did the handoff.
  it('refuses a write or hint whose conflict mode differs from the copies it holds for the key', async () => {
    const key = Buffer.from('mode-key');
    const lww = lwwWrite({ wallMs: Date.now(), logical: 0 }, 'fuzzer', { kind: 'value', value: Buffer.from('lww') });
    const dvv = dvvWrite(undefined, EMPTY_VERSION_VECTOR, 'fuzzer', { kind: 'value', value: Buffer.from('dvv') });
    await peer.request(PeerOp.Put, key, encodePut(lww));
    await expect(peer.request(PeerOp.Put, key, encodePut(dvv, 'intended'))).rejects.toThrow(/mode/);
    await expect(peer.request(PeerOp.Put, key, encodePut(dvv))).rejects.toThrow(/mode/);
    expect((await peer.request(PeerOp.Get, key)).length).toBeGreaterThan(0);
  });
});
