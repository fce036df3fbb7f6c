/**
 * One connection to a Kafka-protocol broker that sends typed requests and decodes their typed
 * responses with the same codecs the broker uses: the base of the partition reader and of the
 * replica fetchers. Requests may be pipelined; answers come back in order (core/net).
 */
import { FrameClient, int32Correlation } from '../../net/index.js';
import { ApiKey, KafkaReader, KafkaWriter, codecFor, decodeResponseHeader, encodeRequestHeader, responseHeaderVersion, type ApiBodies, type SupportedApiKey } from '../protocol/index.js';
import type { InterBrokerCredential } from '../security/config.js';
import { authenticateAs } from '../security/sasl-client.js';

/** The largest response accepted (a fetch of many partitions at their max bytes). */
const MAX_RESPONSE_BYTES = 100 * 1024 * 1024;

export interface KafkaEndpoint {
  host: string;
  port: number;
}

export class KafkaConnection {
  private readonly client: FrameClient;
  /** With SASL: the authentication of the current socket, started by its first request. */
  private authenticated: Promise<void> | undefined;

  constructor(
    readonly endpoint: KafkaEndpoint,
    private readonly clientId: string,
    private readonly options: { requestTimeoutMs?: number; sasl?: InterBrokerCredential } = {},
  ) {
    // Kafka requests carry the correlation id after api key and version; responses first.
    this.client = new FrameClient({ host: endpoint.host, port: endpoint.port, correlation: int32Correlation(4, 0), maxFrameBytes: MAX_RESPONSE_BYTES, ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}) });
    // A new socket is a new SASL session: authenticate again before its next request.
    this.client.on('disconnect', () => (this.authenticated = undefined));
  }

  async request<K extends SupportedApiKey>(apiKey: K, apiVersion: number, body: ApiBodies[K]['request']): Promise<ApiBodies[K]['response']> {
    if (this.options.sasl !== undefined && apiKey !== ApiKey.SaslHandshake && apiKey !== ApiKey.SaslAuthenticate) await this.authenticate(this.options.sasl);
    return this.send(apiKey, apiVersion, body);
  }

  /** Each new socket authenticates once before its first request; a failure fails that request (retried by the caller). */
  private authenticate(credential: InterBrokerCredential): Promise<void> {
    if (this.authenticated === undefined) {
      const attempt = authenticateAs((apiKey, apiVersion, body) => this.send(apiKey, apiVersion, body), credential);
      this.authenticated = attempt;
      attempt.catch(() => {
        if (this.authenticated === attempt) this.authenticated = undefined;
      });
    }
    return this.authenticated;
  }

  private async send<K extends SupportedApiKey>(apiKey: K, apiVersion: number, body: ApiBodies[K]['request']): Promise<ApiBodies[K]['response']> {
    const writer = new KafkaWriter();
    encodeRequestHeader(writer, { apiKey, apiVersion, correlationId: 0, clientId: this.clientId });
    const codec = codecFor(apiKey, apiVersion);
    codec.encodeRequest(writer, body);
    const frame = await this.client.request(writer.toBuffer());
    const reader = new KafkaReader(frame);
    decodeResponseHeader(reader, responseHeaderVersion(apiKey, apiVersion));
    return codec.decodeResponse(reader);
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
