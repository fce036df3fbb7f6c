/**
 * A serving node's place in the cluster, kept in coord:
 *   /serving/ring           the ring (ring-codec JSON): who owns which partitions — permanent
 *                           membership, changed only when a node joins (or is removed by hand)
 *   /serving/nodes/<id>     ephemeral {host, respPort, peerPort}: who is up right now
 * A crashed node stays in the ring (its ranges are served by fallbacks with hinted handoff
 * until it returns), as in Dynamo: membership changes are explicit, liveness is not.
 *
 * Joining adds this node to the ring with a conditional setData on the version read, so two
 * nodes joining at once cannot lose each other's claim. Every node watches /serving
 * (persistent-recursive) and keeps the latest snapshot.
 *
 * If the coord session expires (the node was cut off from coord, paused, or its wall clock stepped
 * back past the session timeout), its ephemeral is gone and its watch with it: every peer counts it
 * as down and its own view freezes, for good. So the node registers again on a new session and
 * watches again, as a broker rejoins its cluster.
 */
import type { Logger } from 'pino';
import type { CoordClient } from '../../core/coord/client/coord-client.js';
import { ZooKeeperError } from '../../core/coord/client/errors.js';
import { CoalescedState } from '../../core/coord/recipes/coalesced-state.js';
import { onSessionLost } from '../../core/coord/recipes/waits.js';
import { AddWatchMode, ErrorCode } from '../../core/coord/zookeeper-constants.js';
import { createEphemeralAfterStale } from '../../core/coord/recipes/ephemeral-nodes.js';
import { HashRing, ringFromJson, ringToJson, type RingOptions } from '../ring/index.js';

export const SERVING_PATH = '/serving';
export const RING_PATH = '/serving/ring';
export const NODES_PATH = '/serving/nodes';

export interface NodeEndpoint {
  host: string;
  respPort: number;
  peerPort: number;
}

export interface MembershipSnapshot {
  ring: HashRing;
  live: ReadonlyMap<string, NodeEndpoint>;
}

export class NodeIdTakenError extends Error {
  readonly code = 'NODE_ID_TAKEN';
  constructor(readonly nodeId: string) {
    super(`serving node id '${nodeId}' is registered in coord (${NODES_PATH}/${nodeId}) by a live session: another node runs with this id`);
    this.name = 'NodeIdTakenError';
  }
}

/** Beyond the session timeout, how long to wait for a stale registration to be expired. */
const STALE_REGISTRATION_GRACE_MS = 4_000;
/** Between attempts to register again after the session expired (coord may be unreachable). */
const REJOIN_RETRY_MS = 1_000;

/** Opens a new coord session (after the previous one expired). */
export type CoordConnector = () => Promise<CoordClient>;

function hasCode(error: unknown, code: number): boolean {
  return error instanceof ZooKeeperError && error.code === code;
}

export class ServingMembership {
  private readonly state: CoalescedState<MembershipSnapshot>;
  private stopWatchingSession: () => void = () => undefined;
  private closed = false;

  private constructor(
    private client: CoordClient,
    readonly nodeId: string,
    private endpoint: NodeEndpoint,
    ring: HashRing,
    private readonly logger: Logger,
    private readonly reconnect: CoordConnector | undefined,
  ) {
    this.state = new CoalescedState<MembershipSnapshot>({ ring, live: new Map() }, () => this.read(), logger, 'serving membership');
  }

  /**
   * Registers this node (ephemeral) and adds it to the ring if it is not in it yet. With
   * `reconnect`, an expired session is replaced by a new one from it and the node registers again.
   */
  static async join(client: CoordClient, nodeId: string, endpoint: NodeEndpoint, ringOptions: RingOptions, logger: Logger, reconnect?: CoordConnector): Promise<ServingMembership> {
    await client.mkdirp(NODES_PATH);
    await register(client, nodeId, endpoint);
    const ring = await addToRing(client, nodeId, ringOptions);
    const membership = new ServingMembership(client, nodeId, endpoint, ring, logger, reconnect);
    await client.addWatch(SERVING_PATH, () => membership.state.requestReload(), AddWatchMode.PERSISTENT_RECURSIVE);
    await membership.state.reload();
    membership.watchSession();
    return membership;
  }

  get snapshot(): MembershipSnapshot {
    return this.state.value;
  }

  /** The coord session in use (a new one after an expiry); closing it is the owner's job. */
  get coordClient(): CoordClient {
    return this.client;
  }

  /** Rewrites this node's registration (its ephemeral) with its final endpoint. */
  async updateEndpoint(endpoint: NodeEndpoint): Promise<void> {
    this.endpoint = endpoint;
    await this.client.setData(`${NODES_PATH}/${this.nodeId}`, JSON.stringify(endpoint));
  }

  private watchSession(): void {
    if (this.reconnect === undefined) return;
    this.stopWatchingSession = onSessionLost(this.client, (state) => {
      if (state === 'expired' && !this.closed) void this.rejoin();
    });
  }

  /** A new session, the registration and the watch again; retried until it works or the node closes. */
  private async rejoin(): Promise<void> {
    this.logger.error({ nodeId: this.nodeId }, 'coord session expired: registering again on a new session');
    while (!this.closed) {
      let client: CoordClient | undefined;
      try {
        client = await this.reconnect!();
        await register(client, this.nodeId, this.endpoint);
        await client.addWatch(SERVING_PATH, () => this.state.requestReload(), AddWatchMode.PERSISTENT_RECURSIVE);
        if (this.closed) return void (await client.close());
        const expired = this.client;
        this.client = client;
        await expired.close().catch(() => undefined);
        this.watchSession();
        this.state.requestReload();
        this.logger.warn({ nodeId: this.nodeId }, 'registered in coord again');
        return;
      } catch (error) {
        this.logger.warn({ err: error, nodeId: this.nodeId }, 'registering again in coord failed; retrying');
        await client?.close().catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, REJOIN_RETRY_MS));
      }
    }
  }

  onChange(listener: (snapshot: MembershipSnapshot) => void): () => void {
    return this.state.onChange(listener);
  }

  onSessionLost(callback: () => void): () => void {
    return onSessionLost(this.client, callback);
  }

  waitFor(predicate: (snapshot: MembershipSnapshot) => boolean, timeoutMs: number): Promise<boolean> {
    return this.state.waitFor(predicate, timeoutMs);
  }

  close(): void {
    this.closed = true;
    this.stopWatchingSession();
    this.state.close();
  }

  private async read(): Promise<MembershipSnapshot> {
    const { data } = await this.client.getData(RING_PATH);
    const ring = ringFromJson(JSON.parse(data.toString('utf8')));
    const live = new Map<string, NodeEndpoint>();
    for (const id of await this.client.getChildren(NODES_PATH)) {
      try {
        const { data: endpoint } = await this.client.getData(`${NODES_PATH}/${id}`);
        live.set(id, JSON.parse(endpoint.toString('utf8')) as NodeEndpoint);
      } catch (error) {
        if (!hasCode(error, ErrorCode.NONODE)) throw error;
      }
    }
    return { ring, live };
  }
}

/**
 * Creates this node's ephemeral. A registration left by this node's previous life (killed before
 * its session expired) is waited out, as brokers do; one still held after a session timeout is
 * another live node with this id.
 */
async function register(client: CoordClient, nodeId: string, endpoint: NodeEndpoint): Promise<void> {
  const waitMs = client.session.sessionTimeoutMs + STALE_REGISTRATION_GRACE_MS;
  if (!(await createEphemeralAfterStale(client, `${NODES_PATH}/${nodeId}`, JSON.stringify(endpoint), waitMs))) throw new NodeIdTakenError(nodeId);
}

/** Adds `nodeId` to the stored ring (creating it) unless it is there; returns the ring. */
async function addToRing(client: CoordClient, nodeId: string, options: RingOptions): Promise<HashRing> {
  for (;;) {
    let ring: HashRing;
    let version: number;
    try {
      const { data, stat } = await client.getData(RING_PATH);
      ring = ringFromJson(JSON.parse(data.toString('utf8')));
      version = stat.version;
    } catch (error) {
      if (!hasCode(error, ErrorCode.NONODE)) throw error;
      const first = HashRing.fromMembers([nodeId], options);
      try {
        await client.create(RING_PATH, JSON.stringify(ringToJson(first)));
        return first;
      } catch (createError) {
        if (hasCode(createError, ErrorCode.NODEEXISTS)) continue;
        throw createError;
      }
    }
    if (ring.has(nodeId)) return ring;
    const joined = ring.withNode(nodeId);
    try {
      await client.setData(RING_PATH, JSON.stringify(ringToJson(joined)), version);
      return joined;
    } catch (error) {
      if (!hasCode(error, ErrorCode.BADVERSION)) throw error;
    }
  }
}
