/**
 * A broker's presence in coord: the ephemeral znode /brokers/ids/<id> holding its endpoint, as
 * in ZooKeeper-era Kafka. It vanishes with the broker's session, which is how the controller
 * (next slice) learns that a broker died.
 */
import { CoordClient } from '../../coord/client/coord-client.js';
import { createEphemeralAfterStale } from '../../coord/recipes/ephemeral-nodes.js';
import { monotonicNowMs } from '../../clock/monotonic-clock.js';

export const BROKER_IDS_PATH = '/brokers/ids';
/** Kafka's zookeeper.session.timeout.ms default. */
export const BROKER_SESSION_TIMEOUT_MS = 18_000;
/** Beyond the session timeout, how long to wait for a stale registration to be expired. */
const STALE_REGISTRATION_GRACE_MS = 4_000;

export interface BrokerEndpoint {
  host: string;
  port: number;
}

export class BrokerIdTakenError extends Error {
  readonly code = 'BROKER_ID_TAKEN';
  constructor(readonly brokerId: number) {
    super(`broker id ${brokerId} is registered in coord (${BROKER_IDS_PATH}/${brokerId}) by a session that did not expire; another broker runs with this id: give this one another --id or stop the other`);
    this.name = 'BrokerIdTakenError';
  }
}

export class BrokerRegistration {
  private constructor(
    readonly client: CoordClient,
    readonly path: string,
  ) {}

  /**
   * Creates the broker's ephemeral. If another session holds it, that is either a live broker
   * with the same id or this broker's own previous life (killed before its session expired): wait
   * up to one session timeout for it to vanish, then give up with BrokerIdTakenError.
   */
  static async register(connectString: string, brokerId: number, endpoint: BrokerEndpoint, sessionTimeoutMs = BROKER_SESSION_TIMEOUT_MS): Promise<BrokerRegistration> {
    const client = await CoordClient.connect(connectString, { sessionTimeoutMs });
    const path = `${BROKER_IDS_PATH}/${brokerId}`;
    const deadline = monotonicNowMs() + client.session.sessionTimeoutMs + STALE_REGISTRATION_GRACE_MS;
    try {
      await client.mkdirp(BROKER_IDS_PATH);
      if (await createEphemeralAfterStale(client, path, JSON.stringify({ host: endpoint.host, port: endpoint.port, rack: null }), deadline - monotonicNowMs())) return new BrokerRegistration(client, path);
      throw new BrokerIdTakenError(brokerId);
    } catch (error) {
      await client.close();
      throw error;
    }
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
