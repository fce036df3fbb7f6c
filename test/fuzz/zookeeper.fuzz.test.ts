/**
 * The ZooKeeper-protocol coordination node (Raft replica + client server, in this process) under
 * mutated requests: a mutated ConnectRequest, or a valid handshake followed by a mutated op (reads,
 * writes, multi, watches, auth), each on its own connection. Every mutant is answered or its
 * connection closed within the reply wait, the node still answers exists("/") after each batch,
 * and its heap stays bounded.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { CoordNode } from '../../core/coord/coord-node.js';
import { JuteWriter } from '../../core/coord/server/jute/writer.js';
import { OpCode } from '../../core/coord/zookeeper-constants.js';
import { framed, fuzzSeed, Mutator } from './mutate.js';
import { MAX_HEAP_GROWTH_BYTES, memoryAfterGc, OutcomeTally, RawConnection, type Outcome, claimTwoGigabytes, MAX_HUGE_CLAIM_RSS_GROWTH_BYTES } from './raw-connection.js';

const MUTANTS = 10_000;
const BATCH = 50;
const PING_XID = -2;

/** ConnectRequest: protocolVersion, lastZxidSeen, timeOut, sessionId, passwd, readOnly. */
const connectRequest = (timeoutMs = 4_000): Buffer => new JuteWriter().int(0).long(0n).int(timeoutMs).long(0n).buffer_(Buffer.alloc(16)).boolean(false).finish();

const OPEN_ACL = (writer: JuteWriter) => writer.vector([0], (w) => w.int(31).string('world').string('anyone'));

/** Valid op requests (RequestHeader + record), built with fast-check names and data. */
function validOps(seed: number): Buffer[] {
  const samples = fc.sample(fc.tuple(fc.stringMatching(/^[a-z0-9]{1,8}$/), fc.uint8Array({ maxLength: 32 })), { seed, numRuns: 12 });
  const ops: Buffer[] = [];
  for (const [index, [name, bytes]] of samples.entries()) {
    const path = `/fuzz-${name}`;
    const data = Buffer.from(bytes);
    const header = (type: number) => new JuteWriter().int(index + 1).int(type);
    ops.push(
      header(OpCode.exists).string(path).boolean(true).finish(),
      header(OpCode.getData).string('/').boolean(false).finish(),
      OPEN_ACL(header(OpCode.create).string(path).buffer_(data)).int(index % 4).finish(),
      OPEN_ACL(header(OpCode.createTTL).string(`${path}-ttl`).buffer_(data)).int(5).long(60_000n).finish(),
      header(OpCode.setData).string(path).buffer_(data).int(-1).finish(),
      header(OpCode.delete).string(path).int(-1).finish(),
      header(OpCode.getChildren2).string('/').boolean(true).finish(),
      header(OpCode.sync).string('/').finish(),
      header(OpCode.getACL).string('/').finish(),
      header(OpCode.addWatch).string(path).int(1).finish(),
      header(OpCode.auth).int(0).string('digest').buffer_(Buffer.from(`user:${name}`)).finish(),
      header(OpCode.setWatches).long(0n).vector([path], (w, p) => w.string(p)).vector([], (w, p: string) => w.string(p)).vector(['/'], (w, p) => w.string(p)).finish(),
      OPEN_ACL(header(OpCode.multi).int(OpCode.create).boolean(false).int(-1).string(`${path}-m`).buffer_(data))
        .int(0).int(OpCode.check).boolean(false).int(-1).string(`${path}-m`).int(-1)
        .int(-1).boolean(true).int(-1).finish(),
      header(OpCode.multiRead).int(OpCode.getData).boolean(false).int(-1).string('/').boolean(false).int(-1).boolean(true).int(-1).finish(),
      new JuteWriter().int(PING_XID).int(OpCode.ping).finish(),
      header(OpCode.whoAmI).finish(),
    );
  }
  return ops;
}

describe('ZooKeeper-protocol node under mutated requests', () => {
  const seed = fuzzSeed('zookeeper');
  let dir: string;
  let node: CoordNode;
  let port: number;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fuzz-zookeeper-'));
    node = await CoordNode.start({ serverId: 1, members: new Map(), dataDir: dir });
    port = node.clientPort;
  });
  afterAll(async () => {
    await node.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function session(): Promise<RawConnection> {
    const connection = await RawConnection.open(port);
    expect((await connection.exchange(framed(connectRequest()))).kind).toBe('answered');
    return connection;
  }

  async function answersExists(): Promise<void> {
    const connection = await session();
    const outcome = await connection.exchange(framed(new JuteWriter().int(9).int(OpCode.exists).string('/').boolean(false).finish()));
    connection.destroy();
    expect(outcome.kind).toBe('answered');
    expect([outcome.reply.readInt32BE(4), outcome.reply.readInt32BE(16)]).toEqual([9, 0]); // xid, err
  }

  it('answers or closes on every mutant, keeps answering exists, and keeps its memory', async () => {
    const mutator = new Mutator(seed);
    const ops = validOps(seed);
    const tally = new OutcomeTally();
    const hangs: string[] = [];
    const before = memoryAfterGc();
    for (let start = 0; start < MUTANTS; start += BATCH) {
      const plans = Array.from({ length: Math.min(BATCH, MUTANTS - start) }, () =>
        mutator.below(4) === 0 ? { handshake: mutator.mutate(connectRequest()).bytes } : { op: mutator.mutate(mutator.pick(ops)).bytes },
      );
      await Promise.all(plans.map(async (plan) => {
        let outcome: Outcome;
        let connection: RawConnection;
        if (plan.handshake !== undefined) {
          connection = await RawConnection.open(port);
          outcome = await connection.exchange(framed(plan.handshake));
        } else {
          connection = await session();
          outcome = await connection.exchange(framed(plan.op));
        }
        connection.destroy();
        const sent = plan.handshake ?? plan.op!;
        tally.add(outcome, sent);
        if (outcome.kind === 'silent') hangs.push(`${plan.handshake ? 'connect' : 'op'} ${sent.toString('hex')}`);
      }));
      await answersExists();
    }
    const after = memoryAfterGc();
    process.stdout.write(`${tally.summary('zookeeper')}; heap ${((after.heapUsedBytes - before.heapUsedBytes) / 1e6).toFixed(1)} MB\n`);
    expect(hangs).toEqual([]);
    expect(after.heapUsedBytes - before.heapUsedBytes).toBeLessThan(MAX_HEAP_GROWTH_BYTES);
  }, 90_000);

  it('refuses a packet claiming 2 GB without reserving it', async () => {
    const claim = await claimTwoGigabytes(await session());
    expect(claim.outcome).toBe('closed');
    expect(claim.rssGrowthBytes).toBeLessThan(MAX_HUGE_CLAIM_RSS_GROWTH_BYTES);
    await answersExists();
  });

  it('answers a handshake and a request written one byte at a time', async () => {
    const connection = await RawConnection.open(port);
    await connection.writeByteByByte(framed(connectRequest()));
    expect((await connection.next()).kind).toBe('answered');
    await connection.writeByteByByte(framed(new JuteWriter().int(PING_XID).int(OpCode.ping).finish()));
    const pong = await connection.next();
    connection.destroy();
    expect(pong.kind).toBe('answered');
    expect(pong.reply.readInt32BE(4)).toBe(PING_XID);
  });

  it('forgets a partial handshake whose sender hung up', async () => {
    const connection = await RawConnection.open(port);
    connection.write(framed(connectRequest()).subarray(0, 11));
    connection.destroy();
    await answersExists();
  });
});
