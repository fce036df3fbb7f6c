/**
 * The ZooKeeper-protocol front end of one ensemble member: accepts client connections, runs
 * their sessions and watches, serves reads from the local tree and sends writes through the
 * replica. Clients built for ZooKeeper (kazoo, zkCli, node-zookeeper-client) talk to it unchanged.
 */
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { FrameServer } from '../../net/index.js';
import { silentLogger } from '../../telemetry/logger.js';
import type { AppliedWrite, Replica } from '../replication/replica.js';
import { ClientConnection, type ServerContext } from './client-connection.js';
import { answerFourLetterWord, FOUR_LETTER_WORDS } from './four-letter-words.js';
import { MAX_PACKET_BYTES } from './jute/limits.js';
import { DEFAULT_MAX_CLIENT_CONNECTIONS, DEFAULT_TICK_TIME_MS, HANDSHAKE_TIMEOUT_MS, MAX_OUTSTANDING_REQUESTS_PER_CONNECTION, MAX_SESSION_TIMEOUT_TICKS, MIN_SESSION_TIMEOUT_TICKS } from './limits.js';
import { SessionIdGenerator } from './session-credentials.js';
import { WatchManager } from './watch-manager.js';
import { monotonicNowMs } from '../../clock/monotonic-clock.js';

export interface CoordServerOptions {
  host?: string;
  /** Client port; 0 picks a free one. */
  port?: number;
  tickTimeMs?: number;
  /** Shared by the ensemble: session passwords are derived from it. */
  sessionSecret?: string;
  maxClientConnections?: number;
  dataDir?: string;
  peersDescription?: string;
  logger?: Logger;
}

/** The version string four-letter words report; clients parse its major.minor. */
export const REPORTED_VERSION = '3.8.0-barista';

export class CoordServer {
  private readonly frames: FrameServer;
  private readonly watches = new WatchManager();
  private readonly sessions = new Map<bigint, ClientConnection>();
  private readonly context: ServerContext;
  /** On the monotonic clock: zk_uptime must not jump when the wall clock steps. */
  private readonly startedAtMs = monotonicNowMs();
  private packetsReceived = 0;
  private readonly tickTimeMs: number;

  constructor(
    private readonly replica: Replica,
    private readonly options: CoordServerOptions = {},
  ) {
    const logger = options.logger ?? silentLogger();
    this.tickTimeMs = options.tickTimeMs ?? DEFAULT_TICK_TIME_MS;
    this.context = {
      replica,
      watches: this.watches,
      sessionIds: new SessionIdGenerator(replica.serverId),
      secret: options.sessionSecret ?? 'barista-ensemble',
      minSessionTimeoutMs: MIN_SESSION_TIMEOUT_TICKS * this.tickTimeMs,
      maxSessionTimeoutMs: MAX_SESSION_TIMEOUT_TICKS * this.tickTimeMs,
      logger,
      bindSession: (sessionId, connection) => {
        const previous = this.sessions.get(sessionId);
        if (previous && previous !== connection) previous.frames.close('session moved to another connection');
        this.sessions.set(sessionId, connection);
      },
      unbindSession: (sessionId, connection) => {
        if (this.sessions.get(sessionId) === connection) this.sessions.delete(sessionId);
      },
      countRequest: () => {
        this.packetsReceived += 1;
      },
    };
    this.frames = new FrameServer((frame, frames) => (frames.state as ClientConnection).handle(frame), {
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 0,
      maxFrameBytes: MAX_PACKET_BYTES,
      maxInFlightPerConnection: MAX_OUTSTANDING_REQUESTS_PER_CONNECTION,
      maxConnections: options.maxClientConnections ?? DEFAULT_MAX_CLIENT_CONNECTIONS,
      partialFrameTimeoutMs: HANDSHAKE_TIMEOUT_MS,
      logger,
      rawCommand: (word) => (FOUR_LETTER_WORDS.has(word) ? () => answerFourLetterWord(word, this.facts()) : undefined),
    });
    this.frames.on('connection', (frames) => {
      frames.state = new ClientConnection(frames, this.context);
    });
    replica.onApplied((applied) => this.onApplied(applied));
  }

  async listen(): Promise<AddressInfo> {
    return this.frames.listen();
  }

  address(): AddressInfo {
    return this.frames.address();
  }

  get connectionCount(): number {
    return this.frames.connectionCount;
  }

  async close(): Promise<void> {
    await this.frames.close();
  }

  /** Fires watches for every applied change, drops the connection of a closed or expired session,
   * and marks the connection of a session resumed elsewhere as moved. */
  private onApplied({ op, outcome }: AppliedWrite): void {
    for (const trigger of outcome.triggers) this.watches.trigger(trigger);
    // The resuming connection binds only after this write applied, so the bound one is older.
    // (On this same server, bindSession then closes it outright, as ZooKeeper does.)
    if (op.type === 'createSession' && outcome.result.err === 0) this.sessions.get(op.sessionId)?.markMoved();
    if (op.type === 'closeSession' && outcome.result.err === 0) {
      const connection = this.sessions.get(op.sessionId);
      if (connection) {
        this.sessions.delete(op.sessionId);
        // Let the reply to the client's own closeSession (if that is what this was) leave first.
        setImmediate(() => connection.frames.close('session closed or expired'));
      }
    }
  }

  private facts() {
    const status = this.replica.status();
    const { tree } = this.replica;
    return {
      version: REPORTED_VERSION,
      mode: status.role,
      serverId: status.serverId,
      zxid: tree.lastZxid,
      nodeCount: tree.nodeCount(),
      ephemeralCount: tree.ephemeralCount(),
      approximateDataBytes: tree.approximateDataBytes(),
      watchCount: this.watches.watchCount,
      connectionCount: this.frames.connectionCount,
      outstandingRequests: 0,
      packetsReceived: this.packetsReceived,
      startedAtMs: this.startedAtMs,
      clientPort: this.frames.address().port,
      tickTimeMs: this.tickTimeMs,
      minSessionTimeoutMs: this.context.minSessionTimeoutMs,
      maxSessionTimeoutMs: this.context.maxSessionTimeoutMs,
      dataDir: this.options.dataDir ?? '',
      peers: this.options.peersDescription ?? '',
    };
  }
}
