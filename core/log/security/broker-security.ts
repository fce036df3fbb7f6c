/**
 * The broker's security gate, between decoding a request and handling it. With security on:
 * - ApiVersions is always answered (clients ask before they authenticate);
 * - SaslHandshake and SaslAuthenticate drive the connection's SaslSession;
 * - anything else before authentication closes the connection, as Kafka does ("unexpected
 *   Kafka request during SASL handshake"): the client learns nothing, not even an error code,
 *   and no handler runs. (Answering ILLEGAL_SASL_STATE would need a response of every API's
 *   shape for a client that is not following the protocol anyway.)
 * - after authentication, RequestAuthorizer (group-authorization.ts for the group coordinator's
 *   APIs) cuts each request down to what the principal may do.
 * Without security (BrokerOptions.security absent) this module is not used at all.
 */
import type { FrameConnection } from '../../net/index.js';
import { ApiKey, CLUSTER_AUTHORIZED_OPERATIONS_NOT_REQUESTED, ErrorCode, type ApiBodies, type DecodedRequest, type DescribeClusterResponse, type SupportedApiKey } from '../protocol/index.js';
import { Authorizer } from './authorizer.js';
import { userCredentials, type SecurityOptions, type UserCredentials } from './config.js';
import { authorizeGroupRequest } from './group-authorization.js';
import { RequestAuthorizer } from './request-authorization.js';
import { SaslSession } from './sasl-session.js';
import { NonceGuard } from './scram.js';

/** The gate's verdict on one request. */
export type Intercepted =
  | { kind: 'serve'; request: DecodedRequest; complete: (response: unknown) => unknown }
  | { kind: 'answer'; apiKey: SupportedApiKey; body: ApiBodies[SupportedApiKey]['response']; close: boolean }
  | { kind: 'close'; reason: string };

const identity = (response: unknown) => response;

/** DescribeCluster for a principal without DESCRIBE on the cluster: the error and nothing else. */
const clusterDenied = (): DescribeClusterResponse => ({
  throttleTimeMs: 0,
  errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
  errorMessage: 'Authorization failed.',
  clusterId: '',
  controllerId: -1,
  brokers: [],
  clusterAuthorizedOperations: CLUSTER_AUTHORIZED_OPERATIONS_NOT_REQUESTED,
});

export class BrokerSecurity {
  private readonly credentials: UserCredentials;
  private readonly authorizer: Authorizer;
  private readonly nonces = new NonceGuard();
  private readonly sessions = new WeakMap<FrameConnection, SaslSession>();

  constructor(options: SecurityOptions) {
    this.credentials = userCredentials(options.users);
    const superUsers = [...(options.superUsers ?? []), ...(options.interBroker ? [options.interBroker.username] : [])];
    this.authorizer = new Authorizer(options.acls, superUsers);
  }

  private session(connection: FrameConnection): SaslSession {
    let session = this.sessions.get(connection);
    if (session === undefined) {
      session = new SaslSession(this.credentials, this.nonces);
      this.sessions.set(connection, session);
    }
    return session;
  }

  /** The principal a connection authenticated as, if any. */
  principalOf(connection: FrameConnection): string | undefined {
    return this.sessions.get(connection)?.principal;
  }

  intercept(connection: FrameConnection, request: DecodedRequest): Intercepted {
    const session = this.session(connection);
    switch (request.apiKey) {
      case ApiKey.ApiVersions:
        return { kind: 'serve', request, complete: identity };
      case ApiKey.SaslHandshake: {
        const { response, close } = session.handshake(request.body);
        return { kind: 'answer', apiKey: ApiKey.SaslHandshake, body: response, close };
      }
      case ApiKey.SaslAuthenticate: {
        const { response, close } = session.authenticate(request.body);
        return { kind: 'answer', apiKey: ApiKey.SaslAuthenticate, body: response, close };
      }
      default:
        break;
    }
    const principal = session.principal;
    if (principal === undefined) return { kind: 'close', reason: `api ${request.apiKey} before SASL authentication` };
    return this.authorize(new RequestAuthorizer(this.authorizer, principal), request);
  }

  private authorize(check: RequestAuthorizer, request: DecodedRequest): Intercepted {
    const serve = <Request, Response>(authorized: { request: Request; complete: (response: Response) => Response }) =>
      ({ kind: 'serve', request: { ...request, body: authorized.request } as DecodedRequest, complete: authorized.complete as (response: unknown) => unknown }) as const;
    switch (request.apiKey) {
      case ApiKey.Produce:
        return serve(check.produce(request.body));
      case ApiKey.Fetch: {
        const authorized = check.fetch(request.body);
        if (authorized === undefined) return { kind: 'answer', apiKey: ApiKey.Fetch, body: { throttleTimeMs: 0, errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, sessionId: 0, topics: [] }, close: false };
        return serve(authorized);
      }
      case ApiKey.ListOffsets:
        return serve(check.listOffsets(request.body));
      case ApiKey.Metadata:
        return serve(check.metadata(request.body));
      case ApiKey.CreateTopics:
        return serve(check.createTopics(request.body));
      case ApiKey.DeleteTopics:
        return serve(check.deleteTopics(request.body));
      case ApiKey.OffsetCommit:
        return serve(check.offsetCommit(request.body));
      case ApiKey.OffsetFetch: {
        const authorized = check.offsetFetch(request.body);
        if (authorized === undefined) return { kind: 'answer', apiKey: ApiKey.OffsetFetch, body: { throttleTimeMs: 0, topics: [], errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED }, close: false };
        return serve(authorized);
      }
      case ApiKey.CreatePartitions:
        return serve(check.createPartitions(request.body));
      case ApiKey.AlterConfigs:
      case ApiKey.IncrementalAlterConfigs:
        return serve(check.alterConfigs(request.body));
      case ApiKey.DescribeConfigs:
        return serve(check.describeConfigs(request.body));
      case ApiKey.DeleteRecords:
        return serve(check.deleteRecords(request.body));
      case ApiKey.DeleteGroups:
        return serve(check.deleteGroups(request.body));
      case ApiKey.DescribeCluster:
        if (!check.cluster('describe')) return { kind: 'answer', apiKey: ApiKey.DescribeCluster, body: clusterDenied(), close: false };
        return { kind: 'serve', request, complete: identity };
      case ApiKey.OffsetForLeaderEpoch:
        return serve(check.offsetForLeaderEpoch(request.body));
      case ApiKey.InitProducerId:
        if (!check.mayProduce) return { kind: 'answer', apiKey: ApiKey.InitProducerId, body: { throttleTimeMs: 0, errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, producerId: -1n, producerEpoch: -1 }, close: false };
        return { kind: 'serve', request, complete: identity };
      default:
        return authorizeGroupRequest(check, request) ?? { kind: 'serve', request, complete: identity };
    }
  }
}
