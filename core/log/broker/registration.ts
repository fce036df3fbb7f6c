/**
 * A broker's presence in coord: the ephemeral znode /brokers/ids/<id> holding its endpoint, as
 * in ZooKeeper-era Kafka. It vanishes with the broker's session, which is how the controller
 * (next slice) learns that a broker died.
 */
import { CoordClient } from '../../coord/client/coord-client.js';
import { ZooKeeperError } from '../../coord/client/errors.js';
import { CreateMode, ErrorCode } from '../../coord/zookeeper-constants.js';

export const BROKER_IDS_PATH = '/brokers/ids';
/** Kafka's zookeeper.session.timeout.ms default. */
export const BROKER_SESSION_TIMEOUT_MS = 18_000;

export interface BrokerEndpoint {
  host: string;
  port: number;
}

export class BrokerIdTakenError extends Error {
  readonly code = 'BROKER_ID_TAKEN';
  constructor(readonly brokerId: number) {
    super(`broker id ${brokerId} is already registered in coord (${BROKER_IDS_PATH}/${brokerId}); give this broker another --id or stop the other one`);
    this.name = 'BrokerIdTakenError';
  }
}

export class BrokerRegistration {
  private constructor(
    readonly client: CoordClient,
    readonly path: string,
  ) {}

  static async register(connectString: string, brokerId: number, endpoint: BrokerEndpoint): Promise<BrokerRegistration> {
    const client = await CoordClient.connect(connectString, { sessionTimeoutMs: BROKER_SESSION_TIMEOUT_MS });
    const path = `${BROKER_IDS_PATH}/${brokerId}`;
    try {
      await client.mkdirp(BROKER_IDS_PATH);
      await client.create(path, JSON.stringify({ host: endpoint.host, port: endpoint.port, rack: null }), { mode: CreateMode.EPHEMERAL });
    } catch (error) {
      await client.close();
      if (error instanceof ZooKeeperError && error.code === ErrorCode.NODEEXISTS) throw new BrokerIdTakenError(brokerId);
      throw error;
    }
    return new BrokerRegistration(client, path);
  }

  /** Every registered broker, by id. */
  async brokers(): Promise<Map<number, BrokerEndpoint>> {
    const found = new Map<number, BrokerEndpoint>();
    for (const child of await this.client.getChildren(BROKER_IDS_PATH)) {
      try {
        const { data } = await this.client.getData(`${BROKER_IDS_PATH}/${child}`);
        const endpoint = JSON.parse(data.toString()) as BrokerEndpoint;
        found.set(Number(child), { host: endpoint.host, port: endpoint.port });
      } catch {
        // Gone between the listing and the read (its session ended): not a live broker.
      }
    }
    return found;
  }

  /** Closing the session deletes the ephemeral at once (no wait for the session timeout). */
  async close(): Promise<void> {
    await this.client.close();
  }
}
