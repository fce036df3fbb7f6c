import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoordClient } from '../../coord/client/coord-client.js';
import { CoordNode } from '../../coord/coord-node.js';
import { EventType } from '../../coord/zookeeper-constants.js';
import { Kafka, logLevel } from 'kafkajs';
import { freePort } from '../../../test/support/ports.js';
import { TcpProxy } from '../../../test/support/tcp-proxy.js';
import { advertisedEndpoint, InvalidListenerError } from '../../cli/broker.js';
import { Broker } from './broker.js';
import { BrokerIdTakenError, BROKER_IDS_PATH } from './registration.js';

describe('broker registration in coord', () => {
  let dir: string;
  let coord: CoordNode;
  let connectString: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'broker-registration-'));
    coord = await CoordNode.start({ serverId: 1, members: new Map(), dataDir: join(dir, 'coord') });
    connectString = `127.0.0.1:${coord.clientPort}`;
  });
  afterAll(async () => {
    await coord.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('registers an ephemeral /brokers/ids/<id> with its endpoint, refuses a second broker with the same id, and vanishes on close', async () => {
    const broker = await Broker.start({ nodeId: 7, dataDir: join(dir, 'b7'), coord: connectString });
    const observer = await CoordClient.connect(connectString);
    const { data, stat } = await observer.getData(`${BROKER_IDS_PATH}/7`);
    expect(JSON.parse(data.toString())).toEqual({ host: '127.0.0.1', port: broker.address().port, rack: null });
    expect(stat.ephemeralOwner).not.toBe(0n);
    expect([...(await broker.registration!.brokers()).keys()]).toEqual([7]);

    await expect(Broker.start({ nodeId: 7, dataDir: join(dir, 'b7-again'), coord: connectString })).rejects.toBeInstanceOf(BrokerIdTakenError);

    const gone = new Promise((resolve) => void observer.exists(`${BROKER_IDS_PATH}/7`, resolve));
    await broker.close();
    expect(await gone).toMatchObject({ type: EventType.NodeDeleted });
    await observer.close();
  });

  it('advertises the address a proxy in front of it listens on, so clients reach it only through the proxy', async () => {
    // The proxy must know the broker's port before the broker knows the proxy's: a fixed free port.
    const brokerPort = await freePort();
    const proxy = await TcpProxy.start(brokerPort);
    const broker = await Broker.start({ nodeId: 8, port: brokerPort, advertisedPort: proxy.port, dataDir: join(dir, 'b8'), coord: connectString });
    const kafka = new Kafka({ brokers: [`127.0.0.1:${proxy.port}`], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    const admin = kafka.admin();
    try {
      const observer = await CoordClient.connect(connectString);
      expect(JSON.parse((await observer.getData(`${BROKER_IDS_PATH}/8`)).data.toString())).toMatchObject({ port: proxy.port });
      await observer.close();
      await admin.connect();
      expect((await admin.describeCluster()).brokers).toEqual([{ nodeId: 8, host: '127.0.0.1', port: proxy.port }]);
      await admin.createTopics({ topics: [{ topic: 'behind-proxy', numPartitions: 1 }] });
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic: 'behind-proxy', messages: [{ value: 'through the proxy' }] });
      proxy.cut();
      await expect(producer.send({ topic: 'behind-proxy', messages: [{ value: 'cut off' }] })).rejects.toThrow();
      await producer.disconnect();
    } finally {
      await admin.disconnect();
      await broker.close();
      await proxy.close();
    }
  });

  it('refuses an advertised listener that is not host:port', () => {
    expect(advertisedEndpoint('PLAINTEXT://kafka-1.internal:19092')).toEqual({ advertisedHost: 'kafka-1.internal', advertisedPort: 19_092 });
    expect(advertisedEndpoint('10.0.0.5:9092')).toEqual({ advertisedHost: '10.0.0.5', advertisedPort: 9092 });
    for (const bad of ['kafka-1', ':9092', 'host:0', 'host:70000', 'host:port', 'PLAINTEXT://host']) expect(() => advertisedEndpoint(bad)).toThrow(InvalidListenerError);
  });
});
