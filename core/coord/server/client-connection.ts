/**
 * One client connection of the ZooKeeper protocol: the connect handshake, then requests in
 * order. Reads are served from the local tree but only after this connection's earlier writes
 * have been applied here (ZooKeeper's FIFO client order); writes go through the replica.
 */
import type { FrameConnection } from '../../net/index.js';
import { ErrorCode, OpCode, Xid } from '../zookeeper-constants.js';
import type { Id } from '../tree/index.js';
import type { Replica } from '../replication/replica.js';
import { JuteReader } from './jute/reader.js';
import { JuteWriter } from './jute/writer.js';
import { readConnectRequest, readRequestHeader, writeConnectResponse } from './records.js';
import { decodeRequest } from './ops/decode.js';
import { reply, watchEvent } from './responses.js';
import type { Watcher, WatchManager } from './watch-manager.js';
import { passwordMatches, sessionPassword, SESSION_PASSWORD_BYTES, type SessionIdGenerator } from './session-credentials.js';
import { PROTOCOL_VERSION } from './limits.js';
import { executeRequest } from './request-executor.js';
import type { Logger } from 'pino';

export interface ServerContext {
  replica: Replica;
  watches: WatchManager;
  sessionIds: SessionIdGenerator;
  secret: string;
  minSessionTimeoutMs: number;
  maxSessionTimeoutMs: number;
  logger: Logger;
  /** Binds a session to this connection, closing any older connection of the same session. */
  bindSession(sessionId: bigint, connection: ClientConnection): void;
  unbindSession(sessionId: bigint, connection: ClientConnection): void;
  countRequest(): void;
}

export class ClientConnection implements Watcher {
  sessionId = 0n;
  timeoutMs = 0;
  readonly authIds: Id[];
  private handshakeDone = false;
  /** The session was resumed on another connection (here or on another server). */
  private moved = false;
  /** Settles when every write this connection sent so far has been applied locally. */
  private writesApplied: Promise<unknown> = Promise.resolve();

  constructor(
    readonly frames: FrameConnection,
    private readonly server: ServerContext,
  ) {
    this.authIds = [{ scheme: 'ip', id: frames.remoteAddress.replace(/^::ffff:/, '') }];
    frames.onClose(() => {
      server.watches.removeWatcher(this);
      if (this.sessionId !== 0n) server.unbindSession(this.sessionId, this);
    });
  }

  deliver(event: { type: number; path: string }): void {
    this.frames.send(watchEvent(event.type, event.path));
  }

  /**
   * The client resumed this session elsewhere: as ZooKeeper, answer whatever still comes on this
   * connection with SESSIONMOVED and close it, so a client that lost track of its connections
   * cannot act twice under one session. Its watches moved with the session.
   */
  markMoved(): void {
    this.moved = true;
    this.server.watches.removeWatcher(this);
  }

  handle(frame: Buffer): Buffer | undefined | Promise<Buffer | undefined> {
    if (!this.handshakeDone) return this.handshake(frame);
    const reader = new JuteReader(frame);
    const header = readRequestHeader(reader);
    this.server.countRequest();
    if (this.moved) {
      setImmediate(() => this.frames.drainAndEnd('session moved to another connection'));
      return reply(header.xid, this.server.replica.tree.lastZxid, ErrorCode.SESSIONMOVED);
    }
    if (header.type !== OpCode.closeSession) this.server.replica.touchSession(this.sessionId, this.timeoutMs);
    if (header.type === OpCode.ping) return reply(Xid.PING, this.server.replica.tree.lastZxid, 0);
    const request = decodeRequest(header.type, reader);
    if (request === undefined) return reply(header.xid, this.server.replica.tree.lastZxid, ErrorCode.UNIMPLEMENTED);
    const isWrite = request.op === 'create' || request.op === 'delete' || request.op === 'setData' || request.op === 'setACL' || request.op === 'multi' || request.op === 'sync' || request.op === 'closeSession' || request.op === 'check';
    if (isWrite) {
      // Writes go to the replica at once and in order (it keeps that order through the log), so
      // a client may pipeline them; the last one settling means all earlier ones have applied.
      const result = executeRequest(this, this.server, header.xid, request);
      this.writesApplied = result.catch(() => undefined);
      return result;
    }
    // Reads wait for this connection's earlier writes, then see at least their effects.
    return this.writesApplied.then(() => executeRequest(this, this.server, header.xid, request));
  }

  /** Answers a connect request: a new session, a resumed one, or "expired" (timeout 0). */
  private async handshake(frame: Buffer): Promise<Buffer> {
    const request = readConnectRequest(new JuteReader(frame));
    const { replica } = this.server;
    if (request.lastZxidSeen > replica.tree.lastZxid) {
      // ZooKeeper refuses a client that has seen a newer state than this server has: it must
      // try a server that has caught up, or it would travel back in time.
      this.frames.close(`client has seen zxid 0x${request.lastZxidSeen.toString(16)}, this server only 0x${replica.tree.lastZxid.toString(16)}`);
      return Buffer.alloc(0);
    }
    const timeoutMs = Math.min(this.server.maxSessionTimeoutMs, Math.max(this.server.minSessionTimeoutMs, request.timeoutMs));
    let sessionId = request.sessionId;
    if (sessionId === 0n) {
      sessionId = this.server.sessionIds.next(Date.now());
      await replica.write({ type: 'createSession', sessionId, timeoutMs }, sessionId, this.authIds);
    } else if (!passwordMatches(this.server.secret, sessionId, request.password) || !replica.tree.hasSession(sessionId)) {
      const expired = new JuteWriter();
      writeConnectResponse(expired, { protocolVersion: PROTOCOL_VERSION, timeoutMs: 0, sessionId: 0n, password: Buffer.alloc(SESSION_PASSWORD_BYTES), readOnly: false });
      setImmediate(() => this.frames.close('session expired or password wrong'));
      return Buffer.from(expired.finish());
    } else {
      // Resuming: a replicated renewal tells every server, in log order, that the session moved
      // here; each one marks its older connection of this session (see CoordServer.onApplied).
      await replica.write({ type: 'createSession', sessionId, timeoutMs }, sessionId, this.authIds);
    }
    this.sessionId = sessionId;
    this.timeoutMs = timeoutMs;
    this.handshakeDone = true;
    this.server.bindSession(sessionId, this);
    replica.touchSession(sessionId, timeoutMs);
    const writer = new JuteWriter();
    writeConnectResponse(writer, { protocolVersion: PROTOCOL_VERSION, timeoutMs, sessionId, password: sessionPassword(this.server.secret, sessionId), readOnly: false });
    return Buffer.from(writer.finish());
  }
}
