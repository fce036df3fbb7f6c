/**
 * The accepting side of peer authentication over a FrameServer: wraps the service's frame handler
 * so that, when a cluster secret is configured, a connection's first frames must be the handshake
 * (peer-auth.ts) and nothing else reaches the service until the peer has proved the secret. A
 * connection that sends anything else, a wrong proof, or has not finished within the time limit is
 * closed; rejections are logged at most once per interval, so a scanner cannot flood the log.
 * Without a secret the handler runs as given and one warning says the port is open to anyone.
 */
import type { Logger } from 'pino';
import type { FrameConnection, FrameHandler, FrameResponse, FrameServer } from './frame-server.js';
import { PEER_AUTH_TIMEOUT_MS, PeerAuthServerSide, type PeerSecret } from './peer-auth.js';

/** At most one rejection log line per this interval; the ones in between are counted in it. */
export const PEER_AUTH_REJECTION_LOG_INTERVAL_MS = 10_000;

export interface PeerAuthServerOptions {
  /** Undefined: peers are not authenticated (a warning is logged once). */
  secret: PeerSecret | undefined;
  /** This side's identity in proofs and logs ("coord server 2"). */
  identity: string;
  logger: Logger;
  timeoutMs?: number;
}

interface ConnectionAuth {
  side: PeerAuthServerSide;
  authenticated: boolean;
  timer: NodeJS.Timeout | undefined;
}

export class PeerAuthGuard {
  private readonly connections = new WeakMap<FrameConnection, ConnectionAuth>();
  private lastRejectionLogMs = -Infinity;
  private suppressedRejections = 0;
  private rejectionsTotal = 0;

  constructor(
    private readonly inner: FrameHandler,
    private readonly options: PeerAuthServerOptions,
  ) {}

  /** Connections closed for failing authentication since start. */
  get rejections(): number {
    return this.rejectionsTotal;
  }

  /** The handler to give the FrameServer. */
  readonly handler: FrameHandler = (frame, connection) => {
    if (this.options.secret === undefined) return this.inner(frame, connection);
    const auth = this.stateOf(connection);
    if (auth.authenticated) return this.inner(frame, connection);
    return this.handshakeStep(auth, frame, connection);
  };

  /** Starts each connection's handshake clock; call once, right after creating the server. */
  attach(server: FrameServer): void {
    if (this.options.secret === undefined) {
      this.options.logger.warn({ identity: this.options.identity }, 'peer port is unauthenticated: anyone who can reach it can act as a member; start every member with --peer-secret-file to require the cluster secret');
      return;
    }
    server.on('connection', (connection) => this.stateOf(connection));
  }

  private stateOf(connection: FrameConnection): ConnectionAuth {
    let auth = this.connections.get(connection);
    if (auth === undefined) {
      const timeoutMs = this.options.timeoutMs ?? PEER_AUTH_TIMEOUT_MS;
      const timer = setTimeout(() => this.reject(connection, `did not authenticate within ${timeoutMs} ms`), timeoutMs);
      timer.unref();
      auth = { side: new PeerAuthServerSide(this.options.secret!, this.options.identity), authenticated: false, timer };
      this.connections.set(connection, auth);
      const created = auth;
      connection.onClose(() => clearTimeout(created.timer));
    }
    return auth;
  }

  private handshakeStep(auth: ConnectionAuth, frame: Buffer, connection: FrameConnection): FrameResponse {
    try {
      if (!auth.side.sawHello) return auth.side.answerHello(frame);
      const identity = auth.side.checkProof(frame);
      auth.authenticated = true;
      clearTimeout(auth.timer);
      auth.timer = undefined;
      this.options.logger.debug({ peer: identity, remote: connection.remoteAddress }, 'peer authenticated');
      return undefined;
    } catch (error) {
      this.reject(connection, (error as Error).message);
      return undefined;
    }
  }

  private reject(connection: FrameConnection, reason: string): void {
    if (connection.closed) return;
    this.rejectionsTotal++;
    connection.close(`peer authentication failed: ${reason}`);
    const nowMs = performance.now();
    if (nowMs - this.lastRejectionLogMs < PEER_AUTH_REJECTION_LOG_INTERVAL_MS) {
      this.suppressedRejections++;
      return;
    }
    this.options.logger.warn({ remote: `${connection.remoteAddress}:${connection.remotePort}`, reason, alsoRejectedSinceLastLog: this.suppressedRejections }, 'closed a peer connection that did not authenticate; nothing it sent was acted on');
    this.lastRejectionLogMs = nowMs;
    this.suppressedRejections = 0;
  }
}
