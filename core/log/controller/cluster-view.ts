/**
 * One broker's picture of the cluster as coord holds it: live brokers, each topic's replica
 * assignment, each partition's leader/epoch/ISR (with the znode version, for conditional writes)
 * and who the controller is. Kept fresh by a persistent-recursive watch on /brokers and a
 * persistent watch on /controller: a partition state change re-reads that one znode, anything
 * else re-reads the whole picture (coalesced, so a burst of changes costs one reload). A slow
 * periodic resync guards against anything missed while disconnected.
 *
 * Listeners are called after every change with the new snapshot; they must not assume which
 * part changed.
 */
import type { Logger } from 'pino';
import type { CoordClient } from '../../coord/client/coord-client.js';
import type { WatchedEvent } from '../../coord/client/client-watches.js';
import { ZooKeeperError } from '../../coord/client/errors.js';
import { CoalescedState } from '../../coord/recipes/coalesced-state.js';
import { AddWatchMode, ErrorCode, EventType } from '../../coord/zookeeper-constants.js';
import { BROKER_IDS_PATH, type BrokerEndpoint } from '../broker/registration.js';
import { ClusterStateError } from './errors.js';
import { BROKERS_PATH, CONTROLLER_PATH, TOPICS_PATH, decodeAssignment, decodePartitionState, partitionStatePath, topicPath, type PartitionState, type ReplicaAssignment } from './partition-state.js';

/** Resync everything this often even without events (events are the fast path). */
const RESYNC_INTERVAL_MS = 10_000;
const STATE_PATH = /^\/brokers\/topics\/([^/]+)\/partitions\/(\d+)\/state$/;

export interface VersionedState {
  state: PartitionState;
  /** The znode's data version: the `version` a conditional setData must name. */
  version: number;
  /** The zxid of the state's last write: a broker registered after it (a newer czxid) had not yet started when it was decided. */
  mzxid: bigint;
}

export interface TopicView {
  assignment: ReplicaAssignment;
  states: Map<number, VersionedState>;
}

export interface ClusterSnapshot {
  brokers: ReadonlyMap<number, BrokerEndpoint>;
  /**
   * Each live broker's registration zxid (czxid of /brokers/ids/<id>), Kafka's broker epoch: a
   * broker that restarted or rejoined after its session expired registers anew, with a higher one.
   */
  brokerEpochs: ReadonlyMap<number, bigint>;
  topics: ReadonlyMap<string, TopicView>;
  controllerId: number;
}

function isNoNode(error: unknown): boolean {
  return error instanceof ZooKeeperError && error.code === ErrorCode.NONODE;
}

export class ClusterView {
  private readonly state: CoalescedState<ClusterSnapshot>;
  private resyncTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: CoordClient,
    private readonly logger: Logger,
  ) {
    this.state = new CoalescedState<ClusterSnapshot>({ brokers: new Map(), brokerEpochs: new Map(), topics: new Map(), controllerId: -1 }, () => this.read(), logger, 'cluster state');
  }

  get snapshot(): ClusterSnapshot {
    return this.state.value;
  }

  async start(): Promise<void> {
    await this.client.mkdirp(BROKER_IDS_PATH);
    await this.client.mkdirp(TOPICS_PATH);
    await this.client.addWatch(BROKERS_PATH, (event) => this.onEvent(event), AddWatchMode.PERSISTENT_RECURSIVE);
    await this.client.addWatch(CONTROLLER_PATH, () => this.state.requestReload(), AddWatchMode.PERSISTENT);
    await this.state.reload();
    this.resyncTimer = setInterval(() => this.state.requestReload(), RESYNC_INTERVAL_MS);
    this.resyncTimer.unref();
  }

  onChange(listener: (snapshot: ClusterSnapshot) => void): () => void {
    return this.state.onChange(listener);
  }

  liveBrokerIds(): Set<number> {
    return new Set(this.snapshot.brokers.keys());
  }

  /** Re-reads everything now (after a conditional write lost a race, say). */
  refresh(): Promise<void> {
    return this.state.reload();
  }

  /** Waits until `predicate` holds for the snapshot, or the timeout ends; returns whether it held. */
  waitFor(predicate: (snapshot: ClusterSnapshot) => boolean, timeoutMs: number): Promise<boolean> {
    return this.state.waitFor(predicate, timeoutMs);
  }

  close(): void {
    clearInterval(this.resyncTimer);
    this.state.close();
  }

  private onEvent(event: WatchedEvent): void {
    const match = STATE_PATH.exec(event.path);
    if (match !== null && event.type === EventType.NodeDataChanged) {
      void this.reloadState(match[1]!, Number(match[2]));
      return;
    }
    this.state.requestReload();
  }

  private async reloadState(topic: string, partition: number): Promise<void> {
    try {
      const { data, stat } = await this.client.getData(partitionStatePath(topic, partition));
      const view = this.snapshot.topics.get(topic);
      const known = view?.states.get(partition);
      if (view === undefined || (known !== undefined && known.version > stat.version) || this.state.isClosed) return;
      view.states.set(partition, { state: decodePartitionState(partitionStatePath(topic, partition), data), version: stat.version, mzxid: stat.mzxid });
      this.state.publish({ ...this.snapshot });
    } catch (error) {
      if (!isNoNode(error)) this.logger.warn({ err: error, topic, partition }, 'partition state read failed');
      this.state.requestReload();
    }
  }

  private async read(): Promise<ClusterSnapshot> {
    const { brokers, brokerEpochs } = await this.readBrokers();
    const topics = new Map<string, TopicView>();
    for (const name of await this.client.getChildren(TOPICS_PATH)) {
      const view = await this.readTopic(name);
      if (view !== undefined) topics.set(name, view);
    }
    const controllerId = await this.readControllerId();
    // A single-state read may have landed a newer version while this reload ran: keep it.
    for (const [name, view] of topics) {
      for (const [partition, known] of this.snapshot.topics.get(name)?.states ?? []) {
        const read = view.states.get(partition);
        if (read !== undefined && known.version > read.version) view.states.set(partition, known);
      }
    }
    return { brokers, brokerEpochs, topics, controllerId };
  }

  private async readBrokers(): Promise<{ brokers: Map<number, BrokerEndpoint>; brokerEpochs: Map<number, bigint> }> {
    const brokers = new Map<number, BrokerEndpoint>();
    const brokerEpochs = new Map<number, bigint>();
    for (const child of await this.client.getChildren(BROKER_IDS_PATH)) {
      try {
        const { data, stat } = await this.client.getData(`${BROKER_IDS_PATH}/${child}`);
        const endpoint = JSON.parse(data.toString()) as BrokerEndpoint;
        brokers.set(Number(child), { host: endpoint.host, port: endpoint.port });
        brokerEpochs.set(Number(child), stat.czxid);
      } catch (error) {
        if (!isNoNode(error)) throw error; // gone between listing and reading: not live
      }
    }
    return { brokers, brokerEpochs };
  }

  private async readTopic(name: string): Promise<TopicView | undefined> {
    let assignment: ReplicaAssignment;
    try {
      const { data } = await this.client.getData(topicPath(name));
      assignment = decodeAssignment(topicPath(name), data);
    } catch (error) {
      if (isNoNode(error)) return undefined;
      if (!(error instanceof ClusterStateError)) throw error;
      // One unreadable topic must not blind the broker to all the others.
      this.logger.error({ err: error, topic: name }, 'ignoring a topic whose assignment is unreadable');
      return undefined;
    }
    const states = new Map<number, VersionedState>();
    for (let p = 0; p < assignment.length; p++) {
      try {
        const { data, stat } = await this.client.getData(partitionStatePath(name, p));
        states.set(p, { state: decodePartitionState(partitionStatePath(name, p), data), version: stat.version, mzxid: stat.mzxid });
      } catch (error) {
        if (!isNoNode(error)) throw error; // not yet created by the controller
      }
    }
    return { assignment, states };
  }

  private async readControllerId(): Promise<number> {
    try {
      const { data } = await this.client.getData(CONTROLLER_PATH);
      const parsed = JSON.parse(data.toString()) as { brokerid?: unknown };
      return typeof parsed.brokerid === 'number' ? parsed.brokerid : -1;
    } catch (error) {
      if (isNoNode(error)) return -1;
      throw error;
    }
  }
}
