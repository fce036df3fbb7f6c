/**
 * One coord session's worth of cluster membership: the registration (/brokers/ids/<id>), the
 * watched cluster view, the replica roles and the controller candidacy, all on that session.
 * If the session expires (coord lost us: a long pause, a partition), everything built on it is
 * void — another broker may already lead our partitions — so the owner abandons it (dropping
 * every role at once, so nothing more is acknowledged here) and joins again with a new session,
 * as a Kafka broker re-registers after a ZooKeeper session expiry.
 */
import type { Logger } from 'pino';
import { onSessionLost } from '../../coord/recipes/waits.js';
import { ClusterView } from '../controller/cluster-view.js';
import { Controller } from '../controller/controller.js';
import { TopicAdmin } from '../controller/topic-admin.js';
import { ReplicaManager, type ReplicationOptions } from '../replication/replica-manager.js';
import { BrokerRegistration, type BrokerEndpoint } from './registration.js';
import type { TopicStore } from './topic-store.js';

/** How long joining waits for some broker to become controller. */
const CONTROLLER_WAIT_MS = 10_000;

export interface MembershipOptions {
  coord: string;
  nodeId: number;
  endpoint: BrokerEndpoint;
  topics: TopicStore;
  coordSessionTimeoutMs?: number;
  replication?: ReplicationOptions;
  uncleanLeaderElection: boolean;
  logger: Logger;
}

export class ClusterMembership {
  private stopWatchingSession: (() => void) | undefined;
  private abandoned = false;

  private constructor(
    readonly registration: BrokerRegistration,
    readonly view: ClusterView,
    readonly replicas: ReplicaManager,
    readonly controller: Controller,
    readonly admin: TopicAdmin,
  ) {}

  static async join(options: MembershipOptions, onExpired: () => void): Promise<ClusterMembership> {
    const { logger, nodeId } = options;
    const registration = await BrokerRegistration.register(options.coord, nodeId, options.endpoint, options.coordSessionTimeoutMs);
    const client = registration.client;
    const view = new ClusterView(client, logger);
    const replicas = new ReplicaManager(nodeId, options.topics, view, client, logger, options.replication);
    const controller = new Controller(client, view, nodeId, logger, { uncleanLeaderElection: options.uncleanLeaderElection });
    const membership = new ClusterMembership(registration, view, replicas, controller, new TopicAdmin(client, view));
    try {
      await view.start();
      await replicas.start();
      controller.start();
      // Clients (kafkajs's admin) need a controller in Metadata; one is normally elected at once.
      if (!(await view.waitFor((snapshot) => snapshot.controllerId >= 0, CONTROLLER_WAIT_MS))) logger.warn('no controller elected yet; serving anyway');
    } catch (error) {
      await membership.leave();
      throw error;
    }
    membership.stopWatchingSession = onSessionLost(client, (state) => {
      if (state === 'expired' && !membership.abandoned) onExpired();
    });
    return membership;
  }

  /**
   * Gives up every role first (nothing more is acknowledged here), then the registration: the
   * controller moves leadership at once rather than after a session timeout.
   */
  async leave(): Promise<void> {
    this.abandoned = true;
    this.stopWatchingSession?.();
    this.controller.close();
    await this.replicas.close();
    this.view.close();
    await this.registration.close();
  }
}
