/**
 * A Kafka-protocol broker over core/net: decodes each request header, dispatches to the handler
 * of its API and answers in request order (core/net keeps the order per connection, as Kafka
 * clients require). This slice is one broker on its own (no coord, no replication): every
 * partition is led here and the high watermark is the log end.
 */
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { FrameServer, type FrameConnection } from '../../net/index.js';
import { silentLogger } from '../../telemetry/logger.js';
import {
  ApiKey,
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
import { handleFetch, handleListOffsets, handleMetadata, handleProduce, type BrokerContext } from './handlers.js';
import { handleCreateTopics, handleDeleteTopics, handleDescribeConfigs } from './admin-handlers.js';
import { TopicStore } from './topic-store.js';
import { BrokerRegistration } from './registration.js';
import type { PartitionLogOptions } from '../storage/index.js';

export interface BrokerOptions {
  nodeId?: number;
  host?: string;
  port?: number;
  /** The host clients are told to connect to (Metadata); defaults to `host`. */
  advertisedHost?: string;
  dataDir: string;
  autoCreateTopics?: boolean;
  defaultPartitions?: number;
  log?: PartitionLogOptions;
  /** Coord ensemble ("host:port,...") to register in; absent: no registration (standalone). */
  coord?: string;
  /** The broker's coord session timeout: how long a crashed broker stays registered. */
  coordSessionTimeoutMs?: number;
  logger?: Logger;
}

/** Kafka's socket.request.max.bytes default. */
const MAX_REQUEST_BYTES = 100 * 1024 * 1024;

export class Broker {
  private constructor(
    private readonly server: FrameServer,
    private readonly context: BrokerContext,
    readonly registration: BrokerRegistration | undefined,
  ) {}

  static async start(options: BrokerOptions): Promise<Broker> {
    const logger = options.logger ?? silentLogger();
    const topics = await TopicStore.open(options.dataDir, options.log);
    const context: BrokerContext = {
      identity: { nodeId: options.nodeId ?? 1, host: options.advertisedHost ?? options.host ?? '127.0.0.1', port: 0, clusterId: 'barista', autoCreateTopics: options.autoCreateTopics ?? true, defaultPartitions: options.defaultPartitions ?? 1, leaderEpoch: 0 },
      topics,
      logger,
    };
    const server = new FrameServer((frame, connection) => serve(context, frame, connection), { host: options.host ?? '127.0.0.1', port: options.port ?? 0, maxFrameBytes: MAX_REQUEST_BYTES, logger });
    const address = await server.listen();
    context.identity.port = address.port;
    let registration: BrokerRegistration | undefined;
    if (options.coord !== undefined) {
      try {
        registration = await BrokerRegistration.register(options.coord, context.identity.nodeId, { host: context.identity.host, port: address.port }, options.coordSessionTimeoutMs);
      } catch (error) {
        await server.close();
        await topics.close();
        throw error;
      }
    }
    return new Broker(server, context, registration);
  }

  address(): AddressInfo {
    return this.server.address();
  }

  async close(): Promise<void> {
    await this.registration?.close();
    await this.server.close();
    await this.context.topics.close();
  }
}

function payload<K extends SupportedApiKey>(apiKey: K, apiVersion: number, correlationId: number, body: ApiBodies[K]['response']): Buffer {
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
  const request = decodeRequest(apiKey, apiVersion, reader);
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
      return payload(ApiKey.DescribeConfigs, apiVersion, correlationId, handleDescribeConfigs(context, request.body));
  }
}
