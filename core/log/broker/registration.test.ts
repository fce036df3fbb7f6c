import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoordClient } from '../../coord/client/coord-client.js';
import { CoordNode } from '../../coord/coord-node.js';
import { EventType } from '../../coord/zookeeper-constants.js';
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
});
