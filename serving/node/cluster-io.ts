/**
 * How a serving node reaches the replicas of a key: the local replica directly, every other
 * node through one PeerClient each (created from the endpoints in coord, replaced when a node
 * comes back on another port). Liveness is what coord says (the node's ephemeral) minus nodes
 * that just failed a request here, which stay suspect for a moment so that a dead-but-still-
 * registered node (its session has not expired yet) does not slow every request down.
 */
import type { Logger } from 'pino';
import type { ServingMembership, NodeEndpoint } from './membership.js';
import { monotonicNowMs } from '../../core/clock/monotonic-clock.js';
import { NodeUnavailableError } from './errors.js';
import { PeerClient, type PeerAuth } from './peer-rpc.js';

/** How long a node that failed a request is treated as down. */
export const SUSPECT_AFTER_FAILURE_MS = 2_000;

export type LocalHandler = (op: number, key: Buffer, body: Buffer) => Promise<Buffer>;

export class ClusterIO {
  private readonly peers = new Map<string, { endpoint: NodeEndpoint; client: PeerClient }>();
  /** Until when (monotonic clock: a wall clock stepped back must not stretch a suspicion) each node stays suspect. */
  private readonly suspectUntil = new Map<string, number>();
  private closed = false;

  constructor(
    readonly nodeId: string,
    readonly membership: ServingMembership,
    private readonly local: LocalHandler,
    private readonly logger: Logger,
    private readonly auth: PeerAuth = { secret: undefined, nodeId },
  ) {}

  /** Nodes to treat as down now; `nowMs` is on the monotonic clock, as suspicion is timed. */
  down(nowMs = monotonicNowMs()): Set<string> {
    const down = new Set<string>();
    const { ring, live } = this.membership.snapshot;
    for (const node of ring.nodes) {
      if (node === this.nodeId) continue;
      if (!live.has(node) || (this.suspectUntil.get(node) ?? 0) > nowMs) down.add(node);
    }
    return down;
  }

  isUp(node: string): boolean {
    return node === this.nodeId || !this.down().has(node);
  }

  async call(node: string, op: number, key: Buffer, body: Buffer = Buffer.alloc(0), timeoutMs?: number): Promise<Buffer> {
    if (node === this.nodeId) return this.local(op, key, body);
    const client = this.client(node);
    try {
      return await client.request(op, key, body, timeoutMs);
    } catch (error) {
      this.suspectUntil.set(node, monotonicNowMs() + SUSPECT_AFTER_FAILURE_MS);
      throw error;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.peers.values()].map(({ client }) => client.close()));
    this.peers.clear();
  }

  private client(node: string): PeerClient {
    const endpoint = this.membership.snapshot.live.get(node);
    const known = this.peers.get(node);
    if (known && (endpoint === undefined || (known.endpoint.host === endpoint.host && known.endpoint.peerPort === endpoint.peerPort))) return known.client;
    if (endpoint === undefined) throw new NodeUnavailableError(node, 'not registered in coord');
    if (known) void known.client.close();
    if (this.closed) throw new NodeUnavailableError(node, 'this node is shutting down');
    const client = new PeerClient(node, endpoint.host, endpoint.peerPort, { ...this.auth, logger: this.logger });
    this.peers.set(node, { endpoint, client });
    this.logger.debug({ node, endpoint }, 'connecting to serving peer');
    return client;
  }
}
