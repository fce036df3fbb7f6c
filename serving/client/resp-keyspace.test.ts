import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import net from 'node:net';
import type { Consistency, Entry, Keyspace } from '../keyspace/keyspace.js';
import { MemoryKeyspace } from '../keyspace/memory-keyspace.js';
import { TestServingCluster } from '../node/test-support.js';
import { startTestServer, type TestServer } from '../resp/test-support.js';
import { BatchViewWriter, RealtimeViewWriter, ViewCatalog, ViewReader } from '../views/index.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../test/support/ports.js';
import { TcpProxy } from '../../test/support/tcp-proxy.js';
import { until } from '../../test/support/until.js';
import { startRedisServer, type RunningRedis } from '../../test/support/redis.js';
import { describeWithTools, TOOLS } from '../../test/support/tools.js';
import { ClientClosedError, ContractViolationError, ServerUnreachableError } from './errors.js';
import { COMMAND_TIMEOUT_MS } from './limits.js';
import { RespKeyspace } from './resp-keyspace.js';

const WORDS = ['raven', 'lenore', 'door', 'nevermore', 'chamber'];
const RECORDS = 47;
const BUCKET_OFFSETS = 10;
const RACE_ROUNDS = 20;
const INCREMENTS_PER_WRITER = 25;
/** A three-node cluster runs Paxos per compareAndSet; a busy shared machine makes that slow. */
const CLUSTER_TEST_TIMEOUT_MS = 120_000;
/** Longer than ten reconnect attempts take (the old bound, under which the client gave up for good). */
const OUTAGE_MS = 8_000;
const OUTAGE_PROBE_MS = 500;
const RECONNECTED_WITHIN_MS = 10_000;
const wordAt = (offset: number) => WORDS[(offset * 7) % 5]!;
const at = (offset: number) => ({ partition: 'poems-0', offset });

/** What the views answer after realtime and batch writers took turns: JSON-able, without times. */
async function viewsRoundTrip(keyspace: Keyspace): Promise<unknown> {
  const options = { keyspace };
  await new ViewCatalog(options).create('words', 'sum', { bucketOffsets: BUCKET_OFFSETS });
  await new ViewCatalog(options).create('first-letters', 'set', { bucketOffsets: BUCKET_OFFSETS });
  const realtime = new RealtimeViewWriter(options);
  const batch = new BatchViewWriter(options);
  const streamUpTo = async (from: number, to: number) => {
    for (let offset = from; offset <= to; offset += 1) {
      await realtime.apply('words', wordAt(offset), 1, at(offset));
      await realtime.apply('first-letters', 'all', wordAt(offset).slice(0, 1), at(offset));
    }
  };
  const publishBatch = async (version: number, cutOff: number) => {
    for (const view of ['words', 'first-letters']) {
      const load = await batch.begin(view, version, { 'poems-0': cutOff });
      const counts = new Map<string, number>();
      for (let offset = 0; offset <= cutOff; offset += 1) counts.set(wordAt(offset), (counts.get(wordAt(offset)) ?? 0) + 1);
      if (view === 'words') for (const [word, count] of counts) await load.put(word, count);
      else await load.put('all', [...counts.keys()].map((word) => word.slice(0, 1)));
      await load.publish();
    }
  };
  await streamUpTo(0, 25);
  await publishBatch(1, 19);
  await streamUpTo(26, RECORDS - 1);
  await publishBatch(2, 39);
  const reader = new ViewReader(options);
  const answers = await Promise.all([...WORDS.map((word) => reader.get('words', word)), reader.get('first-letters', 'all')]);
  const top = await reader.top('words', 3);
  return JSON.parse(JSON.stringify({ answers, top }, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)));
}

/**
 * Two clients race compareAndSet from the same expected entry, round after round: exactly one
 * wins, and the loser is refused with the winner's entry. Then both increment one counter with
 * get + compareAndSet loops: no increment is lost.
 */
async function casRace(left: Keyspace, right: Keyspace): Promise<void> {
  const key = Buffer.from('race');
  let expected: Entry | undefined;
  for (let round = 0; round < RACE_ROUNDS; round += 1) {
    const proposals = [{ value: Buffer.from(`left-${round}`) }, { value: Buffer.from(`right-${round}`) }];
    const outcomes = await Promise.all([left.compareAndSet(key, expected, proposals[0]), right.compareAndSet(key, expected, proposals[1])]);
    const winners = outcomes.flatMap((outcome, index) => (outcome.written ? [index] : []));
    expect(winners).toHaveLength(1);
    const loser = outcomes[1 - winners[0]!]!;
    expect(loser).toEqual({ written: false, current: proposals[winners[0]!] });
    expected = proposals[winners[0]!];
    expect(await left.get(key)).toEqual(expected);
  }

  const counter = Buffer.from('counter');
  const increment = async (keyspace: Keyspace, times: number) => {
    for (let done = 0; done < times; done += 1) {
      let current = await keyspace.get(counter);
      for (;;) {
        const next = { value: Buffer.from(String(Number(current?.value.toString() ?? '0') + 1)) };
        const outcome = await keyspace.compareAndSet(counter, current, next);
        if (outcome.written) break;
        current = outcome.current;
      }
    }
  };
  await Promise.all([left, right, left, right].map((keyspace) => increment(keyspace, INCREMENTS_PER_WRITER)));
  expect((await right.get(counter))?.value.toString()).toBe(String(4 * INCREMENTS_PER_WRITER));
}

describe('RespKeyspace against a Barista serving node', () => {
  let cluster: TestServingCluster;
  beforeAll(async () => {
    cluster = await TestServingCluster.start(['s1', 's2', 's3']);
  });
  afterAll(async () => cluster.close());

  it('gives the views (realtime writer, batch writer, reader) the same answers as a MemoryKeyspace', async () => {
    const remote = await RespKeyspace.connect({ port: cluster.node('s1').respPort });
    try {
      const expected = await viewsRoundTrip(new MemoryKeyspace());
      expect(await viewsRoundTrip(remote)).toEqual(expected);
      // and the answer is a recount: 'raven' is every 5th offset from 0, all 47 records reflected
      expect((expected as { answers: Array<{ value: string }> }).answers[0]!.value).toBe(String(Math.ceil(RECORDS / 5)));
    } finally {
      await remote.close();
    }
  }, CLUSTER_TEST_TIMEOUT_MS);

  it('never lets two concurrent compareAndSets from the same expected entry both win, through two different nodes', async () => {
    const left = await RespKeyspace.connect({ port: cluster.node('s1').respPort });
    const right = await RespKeyspace.connect({ port: cluster.node('s2').respPort });
    try {
      await casRace(left, right);
    } finally {
      await Promise.all([left.close(), right.close()]);
    }
  }, CLUSTER_TEST_TIMEOUT_MS);
});

describeWithTools([TOOLS.redisServer], 'RespKeyspace against a real redis-server', () => {
  let redis: RunningRedis;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => redis.stop());

  it('never lets two concurrent compareAndSets from the same expected entry both win (WATCH/MULTI/EXEC)', async () => {
    const left = await RespKeyspace.connect({ port: redis.port });
    const right = await RespKeyspace.connect({ url: `redis://127.0.0.1:${redis.port}/0` });
    try {
      expect([left.server, right.server]).toEqual(['redis', 'redis']);
      await casRace(left, right);
    } finally {
      await Promise.all([left.close(), right.close()]);
    }
  });

  it('fails operations while the server is unreachable and works again once it is back, however long the outage', async () => {
    const proxy = await TcpProxy.start(redis.port);
    const remote = await RespKeyspace.connect({ port: proxy.port });
    const key = Buffer.from('outage');
    try {
      await remote.set(key, { value: Buffer.from('before') });
      proxy.cut();
      // Longer than ioredis's reconnect attempts would last with a bounded retry count (10 × up to 1 s).
      const outageEndsAt = Date.now() + OUTAGE_MS;
      while (Date.now() < outageEndsAt) {
        await expect(remote.get(key)).rejects.toThrow();
        await sleep(OUTAGE_PROBE_MS);
      }
      proxy.heal();
      await until('the keyspace to reconnect', async () => (await remote.get(key).catch(() => undefined))?.value.toString() === 'before', RECONNECTED_WITHIN_MS);
    } finally {
      await remote.close();
      await proxy.close();
    }
  }, OUTAGE_MS + COMMAND_TIMEOUT_MS + RECONNECTED_WITHIN_MS + 10_000);

  it('runs the views on Redis too, with the same answers as a MemoryKeyspace', async () => {
    const remote = await RespKeyspace.connect({ port: redis.port });
    try {
      expect(await viewsRoundTrip(remote)).toEqual(await viewsRoundTrip(new MemoryKeyspace()));
    } finally {
      await remote.close();
    }
  });
});

/** Records the consistency every operation was asked with. */
class RecordingKeyspace extends MemoryKeyspace {
  readonly seen: Array<Consistency | undefined> = [];
  override get(key: Buffer, consistency?: Consistency) {
    this.seen.push(consistency);
    return super.get(key, consistency);
  }
  override compareAndSet(key: Buffer, expected: Entry | undefined, next: Entry | undefined, consistency?: Consistency) {
    this.seen.push(consistency);
    return super.compareAndSet(key, expected, next, consistency);
  }
}

describe('RespKeyspace options and errors', () => {
  let server: TestServer;
  const recording = new RecordingKeyspace();
  beforeAll(async () => {
    server = await startTestServer({ keyspace: recording });
  });
  afterAll(async () => server.close());

  it('sends its default consistency with every operation, merged under the operation’s own, and leaves other operations on the connection alone', async () => {
    const keyspace = await RespKeyspace.connect({ port: server.port, consistency: { r: 1, w: 2 } });
    const plain = await RespKeyspace.connect({ port: server.port });
    await keyspace.get(Buffer.from('k'));
    await keyspace.get(Buffer.from('k'), { r: 3 });
    await keyspace.compareAndSet(Buffer.from('k'), undefined, undefined, { n: 3 });
    await plain.get(Buffer.from('k'));
    expect(recording.seen.slice(-4)).toEqual([{ r: 1, w: 2 }, { r: 3, w: 2 }, { r: 1, w: 2, n: 3 }, undefined]);
    await Promise.all([keyspace.close(), plain.close()]);
  });

  it('throws ClientClosedError after close', async () => {
    const keyspace = await RespKeyspace.connect({ port: server.port });
    await keyspace.close();
    await expect(keyspace.get(Buffer.from('k'))).rejects.toBeInstanceOf(ClientClosedError);
  });

  it('throws ServerUnreachableError, naming the address, when nothing listens', async () => {
    const port = await freePort();
    const failure = RespKeyspace.connect({ port, connectTimeoutMs: 1_000 });
    await expect(failure).rejects.toBeInstanceOf(ServerUnreachableError);
    await expect(failure).rejects.toThrow(`127.0.0.1:${port}`);
  });

  it('throws ContractViolationError when a server answers with the wrong shape', async () => {
    // A server that answers "+OK" to every command (one reply per RESP array header): not a keyspace.
    const sockets: net.Socket[] = [];
    const impostor = net.createServer((socket) => {
      sockets.push(socket);
      socket.on('data', (data) => socket.write('+OK\r\n'.repeat(data.toString('latin1').match(/(^|\r\n)\*\d+\r\n/g)?.length ?? 0)));
    });
    await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
    const port = (impostor.address() as net.AddressInfo).port;
    try {
      const keyspace = await RespKeyspace.connect({ port, server: 'barista' });
      await expect(keyspace.get(Buffer.from('k'))).rejects.toBeInstanceOf(ContractViolationError);
      await expect(keyspace.compareAndSet(Buffer.from('k'), undefined, undefined)).rejects.toThrow('BARISTA.CAS replied');
      await keyspace.close();
      await expect(RespKeyspace.connect({ port })).rejects.toBeInstanceOf(ContractViolationError);
    } finally {
      for (const socket of sockets) socket.destroy();
      impostor.close();
    }
  });
});
