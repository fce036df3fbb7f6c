/**
 * One serving node: its share of the data (LocalReplica), the peer RPC server the other nodes
 * call, its membership in coord (ring + liveness), the quorum keyspace that coordinates any
 * request, hinted handoff, and the Redis-protocol front.
 *
 * Without a coord address it starts an embedded single-server coord (a cluster of one), as
 * `barista broker` does.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import { CoordClient } from '../../core/coord/client/coord-client.js';
import { CoordNode } from '../../core/coord/coord-node.js';
import { silentLogger } from '../../core/telemetry/logger.js';
import type { PeerSecret } from '../../core/net/peer-auth.js';
import { RespServer } from '../resp/index.js';
import { DEFAULT_N } from '../quorum/index.js';
import type { FsyncPolicy } from '../storage/index.js';
import { AntiEntropy } from './anti-entropy.js';
import { ClusterIO } from './cluster-io.js';
import { DurableHybridLogicalClock } from './durable-clock.js';
import { HintedHandoff } from './hinted-handoff.js';
import { LocalReplica } from './local-replica.js';
import { ServingMembership } from './membership.js';
import { peerHandlers } from './peer-handlers.js';
import { PeerOp, PeerServer } from './peer-rpc.js';
import { QuorumKeyspace } from './quorum-keyspace.js';
import { Rebalancer } from './rebalance.js';

/** Serving nodes' coord session: how long a crashed node still counts as up. */
export const SERVING_SESSION_TIMEOUT_MS = 6_000;

export interface ServingNodeOptions {
  nodeId: string;
  dataDir: string;
  host?: string;
  /** Redis-protocol port (0: any free port). */
  port?: number;
  /** Peer RPC port (0: any free port). */
  peerPort?: number;
  /** The peer port other nodes are told to use (a proxy or NAT in front of peerPort); default peerPort. */
  advertisedPeerPort?: number;
  /** Coord ensemble; absent: an embedded single-server coord in `<dataDir>/.coord`. */
  coord?: string;
  coordSessionTimeoutMs?: number;
  n?: number;
  r?: number;
  w?: number;
  fsync?: FsyncPolicy;
  requestTimeoutMs?: number;
  /** Time between anti-entropy ticks (one partition each); default ANTI_ENTROPY_INTERVAL_MS. */
  antiEntropyIntervalMs?: number;
  logger?: Logger;
  /** The cluster secret nodes prove to each other (--peer-secret-file); absent: unauthenticated. */
  peerSecret?: PeerSecret;
}

export class ServingNode {
  private constructor(
    readonly nodeId: string,
    private readonly parts: {
      coordClient: CoordClient;
      embeddedCoord: CoordNode | undefined;
      peerServer: PeerServer;
      membership: ServingMembership;
      io: ClusterIO;
      local: LocalReplica;
      hints: HintedHandoff;
      antiEntropy: AntiEntropy;
      rebalancer: Rebalancer;
      resp: RespServer;
    },
    readonly keyspace: QuorumKeyspace,
  ) {}

  get respPort(): number {
    return this.parts.resp.address().port;
  }

  get membership(): ServingMembership {
    return this.parts.membership;
  }

  get hints(): HintedHandoff {
    return this.parts.hints;
  }

  get antiEntropy(): AntiEntropy {
    return this.parts.antiEntropy;
  }

  get rebalancer(): Rebalancer {
    return this.parts.rebalancer;
  }

  /** This node's own copies (tests and tools read it to see what one replica holds). */
  get replica(): LocalReplica {
    return this.parts.local;
  }

  static async start(options: ServingNodeOptions): Promise<ServingNode> {
    const logger = options.logger ?? silentLogger();
    const host = options.host ?? '127.0.0.1';
    const cleanups: (() => Promise<unknown> | unknown)[] = [];
    try {
      let embeddedCoord: CoordNode | undefined;
      let coord = options.coord;
      if (coord === undefined) {
        embeddedCoord = await CoordNode.start({ serverId: 1, members: new Map(), dataDir: join(options.dataDir, '.coord'), clientPort: 0, logger: logger.child({ component: 'embedded-coord' }) });
        cleanups.push(() => embeddedCoord?.stop());
        coord = `127.0.0.1:${embeddedCoord.clientPort}`;
      }
      const connectCoord = () => CoordClient.connect(coord, { sessionTimeoutMs: options.coordSessionTimeoutMs ?? SERVING_SESSION_TIMEOUT_MS });
      const coordClient = await connectCoord();
      cleanups.push(() => coordClient.close());
      // Peers may call before the local replica is open: they wait for it.
      let markReady!: (handler: (op: number, key: Buffer, body: Buffer) => Promise<Buffer>) => void;
      const ready = new Promise<(op: number, key: Buffer, body: Buffer) => Promise<Buffer>>((resolve) => (markReady = resolve));
      const peerAuth = { secret: options.peerSecret, nodeId: options.nodeId };
      const peerServer = new PeerServer(new Map(PEER_OPS.map((op) => [op, async (key: Buffer, body: Buffer) => (await ready)(op, key, body)])), { host, port: options.peerPort ?? 0, logger, auth: peerAuth });
      const peerPort = await peerServer.listen();
      cleanups.push(() => peerServer.close());
      // The RESP port joins the registration once the front is listening (peers only need peerPort).
      const advertisedPeerPort = options.advertisedPeerPort ?? peerPort;
      const membership = await ServingMembership.join(coordClient, options.nodeId, { host, respPort: 0, peerPort: advertisedPeerPort }, {}, logger, connectCoord);
      cleanups.push(() => membership.close());
      const ring = membership.snapshot.ring;
      const local = await LocalReplica.open(options.dataDir, (key) => ring.partitionOfKey(key), options.fsync !== undefined ? { fsync: options.fsync } : {});
      cleanups.push(() => local.close());
      const hints = await HintedHandoff.open(options.dataDir, logger);
      cleanups.push(() => hints.close());
      const handler = peerHandlers({ nodeId: options.nodeId, local, hints, ring: () => membership.snapshot.ring });
      const io = new ClusterIO(options.nodeId, membership, handler, logger, peerAuth);
      cleanups.push(() => io.close());
      markReady(handler);
      hints.start(io);
      const keyspace = new QuorumKeyspace(io, { clock: DurableHybridLogicalClock.open(options.dataDir), ...(options.n !== undefined ? { n: options.n } : {}), ...(options.r !== undefined ? { r: options.r } : {}), ...(options.w !== undefined ? { w: options.w } : {}), ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}) });
      const resp = new RespServer({ keyspace, host, port: options.port ?? 0, logger });
      const respPort = (await resp.listen()).port;
      cleanups.push(() => resp.close());
      await membership.updateEndpoint({ host, respPort, peerPort: advertisedPeerPort });
      const n = options.n ?? DEFAULT_N;
      const antiEntropy = new AntiEntropy({ io, local, n, logger: logger.child({ component: 'anti-entropy' }), ...(options.antiEntropyIntervalMs !== undefined ? { intervalMs: options.antiEntropyIntervalMs } : {}) });
      antiEntropy.start();
      cleanups.push(() => antiEntropy.stop());
      const rebalancer = new Rebalancer(io, local, n, logger.child({ component: 'rebalance' }));
      rebalancer.start();
      cleanups.push(() => rebalancer.stop());
      logger.info({ nodeId: options.nodeId, respPort, peerPort, ringNodes: ring.nodes.length }, 'serving node ready');
      return new ServingNode(options.nodeId, { coordClient, embeddedCoord, peerServer, membership, io, local, hints, antiEntropy, rebalancer, resp }, keyspace);
    } catch (error) {
      for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
      throw error;
    }
  }

  /** Stops the front, then peers, then leaves coord (the ephemeral goes) and closes the stores. */
  async close(): Promise<void> {
    const { resp, hints, antiEntropy, rebalancer, io, peerServer, membership, coordClient, local, embeddedCoord } = this.parts;
    await resp.close();
    await rebalancer.stop();
    await antiEntropy.stop();
    await hints.close();
    await io.close();
    await peerServer.close();
    membership.close();
    // After an expired session the membership runs on a new one; the first is closed already.
    await membership.coordClient.close();
    if (membership.coordClient !== coordClient) await coordClient.close().catch(() => undefined);
    await local.close();
    await embeddedCoord?.stop();
  }
}

const PEER_OPS = Object.values(PeerOp);
