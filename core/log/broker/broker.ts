/**
 * A Kafka-protocol broker over core/net: decodes each request header, dispatches to the handler
 * of its API and answers in request order (core/net keeps the order per connection, as Kafka
 * clients require).
 *
 * A broker always lives in a cluster kept in coord: it registers there (/brokers/ids/<id>),
 * watches the cluster state (cluster-view), runs for controller, and takes the replica roles
 * coord gives it (replica-manager). Without a coord address it starts an embedded single-server
 * coord of its own, so one broker alone is simply a cluster of one.
 */
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { FrameServer, type FrameConnection } from '../../net/index.js';
import { silentLogger } from '../../telemetry/logger.js';
import {
  ApiKey,
  ErrorCode,
  KafkaReader,
  KafkaWriter,
  codecFor,
  decodeRequest,
  decodeRequestHeader,
  encodeResponseHeader,
  encodeUnsupportedApiVersionsFrame,
  isSupportedVersion,
  responseHeaderVersion,
  supportedApiVersionRanges,
  type SupportedApiKey,
  type ApiBodies,
} from '../protocol/index.js';
import { join } from 'node:path';
import { CoordNode } from '../../coord/coord-node.js';
import type { ClusterView } from '../controller/cluster-view.js';
import type { ReplicaManager, ReplicationOptions } from '../replication/replica-manager.js';
import { ClusterMembership, type MembershipOptions } from './cluster-membership.js';
import { handleFetch, handleListOffsets, handleProduce, type BrokerContext } from './handlers.js';
import { handleMetadata } from './metadata-handler.js';
import { handleCreateTopics, handleDeleteTopics } from './admin-handlers.js';
import { handleAlterConfigs, handleCreatePartitions, handleDeleteGroups, handleDeleteRecords, handleDescribeCluster, handleDescribeConfigsWithOverrides } from './admin-extra-handlers.js';
import { handleOffsetForLeaderEpoch } from './offset-for-leader-epoch-handler.js';
import { handleInitProducerId } from './init-producer-id-handler.js';
import { ProducerIdAllocator } from '../producers/producer-id-blocks.js';
import { TopicStore } from './topic-store.js';
import { GroupCoordinator, type GroupCoordinatorOptions } from '../groups/coordinator.js';
import { handleDescribeGroups, handleFindCoordinator, handleHeartbeat, handleJoinGroup, handleLeaveGroup, handleListGroups, handleOffsetCommit, handleOffsetFetch, handleSyncGroup } from './group-handlers.js';
import type { BrokerRegistration } from './registration.js';
import type { PartitionLogOptions } from '../storage/index.js';
import { BrokerSecurity } from '../security/broker-security.js';
import type { SecurityOptions } from '../security/config.js';
import { LogCleaner, type LogCleanerOptions } from '../cleaner/log-cleaner.js';
import { CleanupPolicyCache } from '../cleaner/policy-cache.js';
import { LogRetention, type LogRetentionOptions } from './log-retention.js';

export interface BrokerOptions {
  nodeId?: number;
  host?: string;
  port?: number;
  /** The host clients and other brokers are told to connect to (Metadata); defaults to `host`. */
  advertisedHost?: string;
  /** The port they are told (a proxy or NAT in front of `port`); defaults to the port listened on. */
  advertisedPort?: number;
  dataDir: string;
  autoCreateTopics?: boolean;
  defaultPartitions?: number;
  /** Kafka's default.replication.factor, for auto-created topics and CreateTopics with -1 (default 1). */
  defaultReplicationFactor?: number;
  replication?: ReplicationOptions;
  /** Kafka's unclean.leader.election.enable (default false). */
  uncleanLeaderElection?: boolean;
  log?: PartitionLogOptions;
  /** Coord ensemble ("host:port,...") to register in; absent: an embedded single-server coord in `<dataDir>/.coord`. */
  coord?: string;
  /** The broker's coord session timeout: how long a crashed broker stays registered. */
  coordSessionTimeoutMs?: number;
  /** The group coordinator's settings (session timeout bounds, initial rebalance delay, offsets partitions). */
  groups?: GroupCoordinatorOptions;
  /** SASL authentication and ACLs (core/log/security/config.ts); absent: every request is served, as in Kafka's PLAINTEXT. */
  security?: SecurityOptions;
  /** Compaction of cleanup.policy=compact topics (core/log/cleaner): pass interval, dirty ratio. */
  cleaner?: LogCleanerOptions;
  /** Deleting old segments of delete-policy topics beyond `log.retentionMs` / `log.retentionBytes`: pass interval. */
  retention?: LogRetentionOptions;
  logger?: Logger;
}

/** Kafka's socket.request.max.bytes default. */
const MAX_REQUEST_BYTES = 100 * 1024 * 1024;
/** Between attempts to rejoin the cluster after a coord session expiry. */
const REJOIN_BACKOFF_MS = 1_000;

interface Running {
  server: FrameServer;
  context: BrokerContext;
  membership: ClusterMembership;
  membershipOptions: MembershipOptions;
  embeddedCoord: CoordNode | undefined;
  cleaner: LogCleaner;
  retention: LogRetention;
  closing: boolean;
}

export class Broker {
  private constructor(private readonly running: Running) {}

  get registration(): BrokerRegistration {
    return this.running.membership.registration;
  }

  get nodeId(): number {
    return this.running.context.identity.nodeId;
  }

  get view(): ClusterView {
    return this.running.context.view;
  }

  get replicas(): ReplicaManager {
    return this.running.context.replicas;
  }

  /** The log cleaner (tests run a pass with `cleaner.runPass(true)`). */
  get cleaner(): LogCleaner {
    return this.running.cleaner;
  }

  /** Log retention (tests run a pass with `retention.runPass()`). */
  get retention(): LogRetention {
    return this.running.retention;
  }

  get isController(): boolean {
    return this.running.membership.controller.isActive;
  }

  static async start(options: BrokerOptions): Promise<Broker> {
    const logger = options.logger ?? silentLogger();
    const nodeId = options.nodeId ?? 1;
    const cleanups: (() => Promise<unknown> | unknown)[] = [];
    const cleanUp = async () => {
      for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
    };
    try {
      // Recovery reports (torn tails cut, corrupt segments refused) go to the broker's log.
      const topics = await TopicStore.open(options.dataDir, { logger: logger.child({ component: 'partition-log' }), ...options.log });
      cleanups.push(() => topics.close());
      let coord = options.coord;
      let embeddedCoord: CoordNode | undefined;
      if (coord === undefined) {
        embeddedCoord = await CoordNode.start({ serverId: 1, members: new Map(), dataDir: join(options.dataDir, '.coord'), clientPort: 0, logger: logger.child({ component: 'embedded-coord' }) });
        cleanups.push(() => embeddedCoord?.stop());
        coord = `127.0.0.1:${embeddedCoord.clientPort}`;
      }
      // Requests that arrive before the broker knows the cluster wait for it.
      let markReady!: (context: BrokerContext) => void;
      const ready = new Promise<BrokerContext>((resolve) => (markReady = resolve));
      const server = new FrameServer(async (frame, connection) => serve(await ready, frame, connection), { host: options.host ?? '127.0.0.1', port: options.port ?? 0, maxFrameBytes: MAX_REQUEST_BYTES, logger });
      const address = await server.listen();
      cleanups.push(() => server.close());
      const host = options.advertisedHost ?? options.host ?? '127.0.0.1';
      const advertisedPort = options.advertisedPort ?? address.port;
      const membershipOptions: MembershipOptions = {
        coord,
        nodeId,
        endpoint: { host, port: advertisedPort },
        topics,
        ...(options.coordSessionTimeoutMs !== undefined ? { coordSessionTimeoutMs: options.coordSessionTimeoutMs } : {}),
        // With security on, followers authenticate to leaders as the inter-broker user.
        ...(options.replication !== undefined || options.security?.interBroker !== undefined ? { replication: { ...options.replication, ...(options.security?.interBroker !== undefined ? { interBrokerSasl: options.security.interBroker } : {}) } } : {}),
        uncleanLeaderElection: options.uncleanLeaderElection ?? false,
        logger,
      };
      // The expiry callback needs the broker, which needs the membership: a late-bound reference.
      const self: { broker?: Broker } = {};
      const membership = await ClusterMembership.join(membershipOptions, () => void self.broker?.rejoin());
      // Reads the configs through the current coord session (context.admin changes on a rejoin).
      const cleanupPolicies = new CleanupPolicyCache((topic) => context.admin.configs(topic));
      const context: BrokerContext = {
        identity: { nodeId, host, port: advertisedPort, clusterId: 'barista', autoCreateTopics: options.autoCreateTopics ?? true, defaultPartitions: options.defaultPartitions ?? 1, defaultReplicationFactor: options.defaultReplicationFactor ?? 1 },
        topics,
        view: membership.view,
        replicas: membership.replicas,
        admin: membership.admin,
        // The coord session changes on a rejoin: always claim through the current one.
        producerIds: new ProducerIdAllocator(() => self.broker?.registration.client ?? membership.registration.client, nodeId),
        groups: GroupCoordinator.overReplicas(() => context.replicas, logger, options.groups),
        ...(options.security !== undefined ? { security: new BrokerSecurity(options.security) } : {}),
        cleanupPolicies,
        logger,
      };
      const cleaner = new LogCleaner(topics, (topic) => cleanupPolicies.policyOf(topic), { logger, ...options.cleaner });
      cleaner.start();
      cleanups.push(() => cleaner.stop());
      const retention = new LogRetention(topics, (topic) => cleanupPolicies.policyOf(topic), (topic) => context.admin.configs(topic), { logger, ...options.retention });
      retention.start();
      cleanups.push(() => retention.stop());
      const broker = new Broker({ server, context, membership, membershipOptions, embeddedCoord, cleaner, retention, closing: false });
      self.broker = broker;
      markReady(context);
      return broker;
    } catch (error) {
      await cleanUp();
      throw error;
    }
  }

  address(): AddressInfo {
    return this.running.server.address();
  }

  /** After a coord session expiry: drop every role at once, then join again with a new session. */
  private async rejoin(): Promise<void> {
    const running = this.running;
    const { logger } = running.context;
    logger.error('coord session expired: giving up every role and rejoining the cluster');
    await running.membership.leave().catch(() => undefined);
    while (!running.closing) {
      try {
        const membership = await ClusterMembership.join(running.membershipOptions, () => void this.rejoin());
        if (running.closing) {
          await membership.leave();
          return;
        }
        running.membership = membership;
        Object.assign(running.context, { view: membership.view, replicas: membership.replicas, admin: membership.admin });
        logger.info('rejoined the cluster');
        return;
      } catch (error) {
        logger.warn({ err: error }, 'rejoining the cluster failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, REJOIN_BACKOFF_MS));
      }
    }
  }

  /**
   * Leaves the cluster like Kafka's controlled shutdown: first give up every role (so nothing
   * more is acknowledged here), then drop the registration (the controller moves leadership to
   * the ISR at once instead of after a session timeout), then stop serving and close the logs.
   */
  async close(): Promise<void> {
    const running = this.running;
    running.closing = true;
    running.context.groups.close();
    await running.cleaner.stop();
    await running.retention.stop();
    await running.membership.leave();
    await running.server.close();
    await running.context.topics.close();
    await running.embeddedCoord?.stop();
  }
}

function encodePayload<K extends SupportedApiKey>(apiKey: K, apiVersion: number, correlationId: number, body: ApiBodies[K]['response']): Buffer {
  const writer = new KafkaWriter();
  encodeResponseHeader(writer, correlationId, responseHeaderVersion(apiKey, apiVersion));
  codecFor(apiKey, apiVersion).encodeResponse(writer, body);
  return writer.toBuffer();
}

async function serve(context: BrokerContext, frame: Buffer, connection: FrameConnection): Promise<Buffer | undefined> {
  const reader = new KafkaReader(frame);
  const header = decodeRequestHeader(reader);
  const { apiKey, apiVersion, correlationId } = header;
  if (!isSupportedVersion(apiKey, apiVersion)) {
    // ApiVersions of a newer version gets Kafka's v0 fallback so the client can downgrade;
    // any other unsupported request means the client ignored our ApiVersions: hang up.
    if (apiKey === ApiKey.ApiVersions) return encodeUnsupportedApiVersionsFrame(correlationId).subarray(4);
    context.logger.warn({ apiKey, apiVersion, client: header.clientId, remote: connection.remoteAddress }, 'unsupported request, closing connection');
    connection.close(`unsupported api ${apiKey} v${apiVersion}`);
    return undefined;
  }
  const decoded = decodeRequest(apiKey, apiVersion, reader);
  // Security (when configured) answers SASL itself, closes unauthenticated connections and cuts
  // requests down to what the principal may do; `complete` adds the refused part to the answer.
  const secured = context.security?.intercept(connection, decoded) ?? { kind: 'serve', request: decoded, complete: (body: unknown) => body };
  if (secured.kind === 'close') {
    context.logger.warn({ apiKey, client: header.clientId, remote: connection.remoteAddress, reason: secured.reason }, 'unauthenticated request, closing connection');
    connection.close(secured.reason);
    return undefined;
  }
  if (secured.kind === 'answer') {
    if (secured.close) connection.drainAndEnd();
    return encodePayload(secured.apiKey, apiVersion, correlationId, secured.body);
  }
  const request = secured.request;
  const payload = <K extends SupportedApiKey>(key: K, version: number, id: number, body: ApiBodies[K]['response']) => encodePayload(key, version, id, secured.complete(body) as ApiBodies[K]['response']);
  context.logger.trace({ apiKey, apiVersion, correlationId, client: header.clientId, remote: connection.remoteAddress }, 'request');
  switch (request.apiKey) {
    case ApiKey.ApiVersions:
      return payload(ApiKey.ApiVersions, apiVersion, correlationId, { errorCode: 0, apiKeys: supportedApiVersionRanges(), throttleTimeMs: 0 });
    case ApiKey.Metadata:
      return payload(ApiKey.Metadata, apiVersion, correlationId, await handleMetadata(context, request.body));
    case ApiKey.Produce: {
      const response = await handleProduce(context, request.body);
      // acks=0: the client expects no answer at all.
      return request.body.acks === 0 ? undefined : payload(ApiKey.Produce, apiVersion, correlationId, response);
    }
    case ApiKey.Fetch:
      return payload(ApiKey.Fetch, apiVersion, correlationId, await handleFetch(context, request.body));
    case ApiKey.ListOffsets:
      return payload(ApiKey.ListOffsets, apiVersion, correlationId, await handleListOffsets(context, request.body));
    case ApiKey.CreateTopics:
      return payload(ApiKey.CreateTopics, apiVersion, correlationId, await handleCreateTopics(context, request.body));
    case ApiKey.DeleteTopics:
      return payload(ApiKey.DeleteTopics, apiVersion, correlationId, await handleDeleteTopics(context, request.body));
    case ApiKey.DescribeConfigs:
      return payload(ApiKey.DescribeConfigs, apiVersion, correlationId, await handleDescribeConfigsWithOverrides(context, request.body));
    case ApiKey.CreatePartitions:
      return payload(ApiKey.CreatePartitions, apiVersion, correlationId, await handleCreatePartitions(context, request.body));
    case ApiKey.AlterConfigs:
      return payload(ApiKey.AlterConfigs, apiVersion, correlationId, await handleAlterConfigs(context, request.body, false));
    case ApiKey.IncrementalAlterConfigs:
      return payload(ApiKey.IncrementalAlterConfigs, apiVersion, correlationId, await handleAlterConfigs(context, request.body, true));
    case ApiKey.DescribeCluster:
      return payload(ApiKey.DescribeCluster, apiVersion, correlationId, handleDescribeCluster(context));
    case ApiKey.DeleteRecords:
      return payload(ApiKey.DeleteRecords, apiVersion, correlationId, await handleDeleteRecords(context, request.body));
    case ApiKey.DeleteGroups:
      return payload(ApiKey.DeleteGroups, apiVersion, correlationId, await handleDeleteGroups(context, request.body));
    case ApiKey.OffsetForLeaderEpoch:
      return payload(ApiKey.OffsetForLeaderEpoch, apiVersion, correlationId, await handleOffsetForLeaderEpoch(context, request.body));
    case ApiKey.InitProducerId:
      return payload(ApiKey.InitProducerId, apiVersion, correlationId, await handleInitProducerId(context, request.body));
    case ApiKey.FindCoordinator:
      return payload(ApiKey.FindCoordinator, apiVersion, correlationId, await handleFindCoordinator(context, request.body));
    case ApiKey.JoinGroup:
      return payload(ApiKey.JoinGroup, apiVersion, correlationId, await handleJoinGroup(context, request.body, apiVersion, header.clientId ?? '', connection.remoteAddress ?? ''));
    case ApiKey.SyncGroup:
      return payload(ApiKey.SyncGroup, apiVersion, correlationId, await handleSyncGroup(context, request.body));
    case ApiKey.Heartbeat:
      return payload(ApiKey.Heartbeat, apiVersion, correlationId, await handleHeartbeat(context, request.body));
    case ApiKey.LeaveGroup:
      return payload(ApiKey.LeaveGroup, apiVersion, correlationId, await handleLeaveGroup(context, request.body));
    case ApiKey.OffsetCommit:
      return payload(ApiKey.OffsetCommit, apiVersion, correlationId, await handleOffsetCommit(context, request.body));
    case ApiKey.OffsetFetch:
      return payload(ApiKey.OffsetFetch, apiVersion, correlationId, await handleOffsetFetch(context, request.body, apiVersion));
    case ApiKey.ListGroups:
      return payload(ApiKey.ListGroups, apiVersion, correlationId, handleListGroups(context));
    case ApiKey.DescribeGroups:
      return payload(ApiKey.DescribeGroups, apiVersion, correlationId, await handleDescribeGroups(context, request.body));
    // Reached only with security off (the gate answers them otherwise): as Kafka on a PLAINTEXT listener.
    case ApiKey.SaslHandshake:
      return payload(ApiKey.SaslHandshake, apiVersion, correlationId, { errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM, mechanisms: [] });
    case ApiKey.SaslAuthenticate:
      return payload(ApiKey.SaslAuthenticate, apiVersion, correlationId, { errorCode: ErrorCode.ILLEGAL_SASL_STATE, errorMessage: 'SASL is not enabled on this broker', authBytes: Buffer.alloc(0), sessionLifetimeMs: 0n });
  }
}
