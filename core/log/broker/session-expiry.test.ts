/**
 * A broker cut off from coord for longer than its session: coord expires it, the controller
 * moves its leadership away; when the network heals the broker learns its session is gone,
 * drops every role, registers again with a new session and comes back as a follower that
 * truncates whatever it accepted on its own meanwhile.
 */
import { afterEach, beforeEach, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { CoordNode } from '../../coord/coord-node.js';
import { TcpProxy } from '../../../test/support/tcp-proxy.js';
import { Broker } from './broker.js';
import { until } from '../../../test/support/until.js';

let workDir: string;
let coord: CoordNode;
let proxy: TcpProxy;
const brokers: Broker[] = [];


beforeEach(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'barista-expiry-'));
  coord = await CoordNode.start({ serverId: 1, members: new Map(), dataDir: join(workDir, 'coord'), clientPort: 0, tickTimeMs: 500 });
  proxy = await TcpProxy.start(coord.clientPort);
  brokers.push(await Broker.start({ nodeId: 1, dataDir: join(workDir, 'b1'), coord: `127.0.0.1:${coord.clientPort}`, coordSessionTimeoutMs: 2_000 }));
  brokers.push(await Broker.start({ nodeId: 2, dataDir: join(workDir, 'b2'), coord: `127.0.0.1:${proxy.port}`, coordSessionTimeoutMs: 2_000 }));
});

afterEach(async () => {
  for (const broker of brokers.splice(0)) await broker.close().catch(() => undefined);
  await proxy.close();
  await coord.stop();
  await rm(workDir, { recursive: true, force: true });
});

it('rejoins with a new session after coord expired it, as a follower of the new leader', async () => {
  const [one, two] = brokers as [Broker, Broker];
  const kafka = new Kafka({ brokers: [`127.0.0.1:${one.address().port}`], logLevel: logLevel.NOTHING, retry: { retries: 10, initialRetryTime: 100 } });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'cut', replicaAssignment: [{ partition: 0, replicas: [2, 1] }] }] });
  await admin.disconnect();
  const state = () => one.view.snapshot.topics.get('cut')?.states.get(0)?.state;
  await until('broker 2 leading with both in sync', () => state()?.leader === 2 && state()?.isr.length === 2 && two.replicas.replica('cut', 0)?.role === 'leader');
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: 'cut', acks: -1, messages: [{ value: 'before' }] });
  const firstSession = two.registration.client.session;

  proxy.cut();
  await until('broker 1 leading after the expiry', () => state()?.leader === 1);
  // Broker 2 still believes it leads (it cannot hear coord): what it accepts alone must not survive.
  const isolated = new Kafka({ brokers: [`127.0.0.1:${two.address().port}`], logLevel: logLevel.NOTHING, retry: { retries: 0 } }).producer();
  await isolated.connect();
  await isolated.send({ topic: 'cut', acks: 1, messages: [{ value: 'divergent' }] }).catch(() => undefined);
  await isolated.disconnect();
  // A fresh producer reads the new leader from broker 1 (the first one's metadata still names
  // broker 2, which cannot complete acks=all any more: its follower left it).
  const second = kafka.producer();
  await second.connect();
  await second.send({ topic: 'cut', acks: -1, messages: [{ value: 'after' }] });
  await second.disconnect();

  proxy.heal();
  await until('broker 2 registered again with a new session', () => two.registration.client.session !== firstSession && one.view.snapshot.brokers.has(2));
  await until('broker 2 back in the ISR as a follower', () => (state()?.isr.includes(2) ?? false) && two.replicas.replica('cut', 0)?.role === 'follower');
  const leaderLog = one.replicas.replica('cut', 0)!.log;
  const followerLog = two.replicas.replica('cut', 0)!.log;
  await until('the follower caught up', () => followerLog.logEndOffset === leaderLog.logEndOffset);
  expect(Buffer.concat(await followerLog.readBuffers(0, 1 << 20))).toEqual(Buffer.concat(await leaderLog.readBuffers(0, 1 << 20)));
  await producer.disconnect();
}, 60_000);
