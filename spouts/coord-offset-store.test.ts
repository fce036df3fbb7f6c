/** Offsets in a real coord server (in-process CoordNode), and a log spout resuming from them. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { CoordClient } from '../core/coord/client/coord-client.js';
import { CoordNode } from '../core/coord/coord-node.js';
import { Broker } from '../core/log/broker/broker.js';
import { createTestContext, RecordingSpoutCollector } from '../core/topology/testing/component-harness.js';
import { until } from '../test/support/until.js';
import { CoordOffsetStore } from './coord-offset-store.js';
import { LogSpout, type LogMessageId } from './log-spout.js';

let dir: string;
let coord: CoordNode;
let client: CoordClient;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'coord-offset-store-'));
  coord = await CoordNode.start({ serverId: 1, members: new Map(), dataDir: join(dir, 'coord'), clientPort: 0 });
  client = await CoordClient.connect(`127.0.0.1:${coord.clientPort}`);
});
afterAll(async () => {
  await client.close();
  await coord.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('coord offset store', () => {
  it('keeps one znode per topic partition under its root', async () => {
    const store = new CoordOffsetStore(client, '/spouts/word-count/offsets');
    expect(await store.read('my/topic', 2)).toBeUndefined();
    await store.commit('my/topic', 2, 42);
    await store.commit('my/topic', 2, 43);
    const { data } = await client.getData('/spouts/word-count/offsets/my%2Ftopic/2');
    expect(JSON.parse(data.toString())).toEqual({ topic: 'my/topic', partition: 2, offset: 43 });
    expect(await new CoordOffsetStore(client, '/spouts/word-count/offsets').read('my/topic', 2)).toBe(43);
    expect(await new CoordOffsetStore(client, '/spouts/other/offsets').read('my/topic', 2)).toBeUndefined();
  });

  it('refuses a znode that holds no offset', async () => {
    const store = new CoordOffsetStore(client, '/spouts/corrupt');
    await client.mkdirp('/spouts/corrupt/t');
    await client.create('/spouts/corrupt/t/0', 'not json');
    await expect(store.read('t', 0)).rejects.toMatchObject({ code: 'CHECKPOINT_CORRUPT' });
  });

  it('lets a log spout resume after a crash from the offsets it committed in coord', async () => {
    const broker = await Broker.start({ dataDir: join(dir, 'broker') });
    try {
      const kafka = new Kafka({ brokers: [`127.0.0.1:${broker.address().port}`], logLevel: logLevel.NOTHING });
      const producer = kafka.producer({ allowAutoTopicCreation: true });
      await producer.connect();
      await producer.send({ topic: 'events', messages: Array.from({ length: 12 }, (_, index) => ({ value: `e${index}`, partition: 0 })) });
      await producer.disconnect();
      const open = async () => {
        const spout = new LogSpout({ bootstrap: { host: '127.0.0.1', port: broker.address().port }, topic: 'events', offsetStore: new CoordOffsetStore(client, '/spouts/events'), fetchMaxWaitMs: 10, commitIntervalMs: 1 });
        const collector = new RecordingSpoutCollector();
        const context = createTestContext(spout);
        await spout.open(context.config, context, collector);
        return { spout, collector };
      };
      const crashed = await open();
      await until('12 emitted', async () => {
        await crashed.spout.nextTuple();
        return crashed.collector.emitted.length === 12;
      });
      for (const emit of crashed.collector.emitted.slice(0, 8)) crashed.spout.ack(emit.messageId as LogMessageId);
      await until('offset 8 committed in coord', async () => {
        await crashed.spout.nextTuple();
        return (await new CoordOffsetStore(client, '/spouts/events').read('events', 0)) === 8;
      });
      const resumed = await open();
      await until('the 4 unacked records emitted again', async () => {
        await resumed.spout.nextTuple();
        return resumed.collector.emitted.length >= 4;
      });
      expect(resumed.collector.emitted.map((emit) => emit.values[3])).toEqual(['e8', 'e9', 'e10', 'e11']);
      await resumed.spout.close();
      await crashed.spout.close();
    } finally {
      await broker.close();
    }
  });
});
