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

function hasCode(error: unknown, code: number): boolean {
  return error instanceof ZooKeeperError && error.code === code;
}

export class ServingMembership {
  private readonly state: CoalescedState<MembershipSnapshot>;

  private constructor(
    private readonly client: CoordClient,
    readonly nodeId: string,
    ring: HashRing,
    logger: Logger,
  ) {
    this.state = new CoalescedState<MembershipSnapshot>({ ring, live: new Map() }, () => this.read(), logger, 'serving membership');
  }

  /** Registers this node (ephemeral) and adds it to the ring if it is not in it yet. */
  static async join(client: CoordClient, nodeId: string, endpoint: NodeEndpoint, ringOptions: RingOptions, logger: Logger): Promise<ServingMembership> {
    await client.mkdirp(NODES_PATH);
    // A registration left by this node's previous life (killed before its session expired) is waited
    // out, as brokers do; one still held after a session timeout is another live node with this id.
    const waitMs = client.session.sessionTimeoutMs + STALE_REGISTRATION_GRACE_MS;
    if (!(await createEphemeralAfterStale(client, `${NODES_PATH}/${nodeId}`, JSON.stringify(endpoint), waitMs))) throw new NodeIdTakenError(nodeId);
    const ring = await addToRing(client, nodeId, ringOptions);
    const membership = new ServingMembership(client, nodeId, ring, logger);
    await client.addWatch(SERVING_PATH, () => membership.state.requestReload(), AddWatchMode.PERSISTENT_RECURSIVE);
    await membership.state.reload();
    return membership;
  }

  get snapshot(): MembershipSnapshot {
    return this.state.value;
  }

  /** Rewrites this node's registration (its ephemeral) with its final endpoint. */
  async updateEndpoint(endpoint: NodeEndpoint): Promise<void> {
    await this.client.setData(`${NODES_PATH}/${this.nodeId}`, JSON.stringify(endpoint));
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
