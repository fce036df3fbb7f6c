/**
 * One TCP connection of a ZooKeeper client: the connect handshake, requests answered in order,
 * watch events and pings. It knows nothing of reconnecting; ZooKeeperClient decides that.
 */
import net from 'node:net';
import { EventEmitter } from 'node:events';
import { FrameDecoder, FrameWriter } from '../../net/index.js';
import { ErrorCode, OpCode, Xid } from '../zookeeper-constants.js';
import { MAX_PACKET_BYTES } from '../server/jute/limits.js';
import { JuteReader } from '../server/jute/reader.js';
import { JuteWriter } from '../server/jute/writer.js';
import { readConnectResponse, readReplyHeader, readWatcherEvent, writeConnectRequest, type ConnectResponse } from '../server/records.js';
import type { Endpoint } from './connect-string.js';
import { monotonicNowMs } from '../../clock/monotonic-clock.js';

export interface PendingRequest {
  xid: number;
  op: string;
  path: string | undefined;
  resolve: (reply: { zxid: bigint; err: number; body: JuteReader }) => void;
  reject: (error: Error) => void;
  /** Runs synchronously when the reply is read, before any later frame of the same read is
   * handled: a watch armed by this request must be in place before its event can arrive. */
  onReply?: (err: number) => void;
}

export interface HandshakeParams {
  sessionId: bigint;
  password: Buffer;
  timeoutMs: number;
  lastZxidSeen: bigint;
}

export class SessionConnection extends EventEmitter<{ event: [{ type: number; path: string }]; closed: [string]; zxid: [bigint] }> {
  private readonly socket: net.Socket;
  private readonly decoder = new FrameDecoder(MAX_PACKET_BYTES);
  private readonly writer: FrameWriter;
  private readonly pending: PendingRequest[] = [];
  private handshake: { resolve: (response: ConnectResponse) => void; reject: (error: Error) => void } | undefined;
  private closedReason: string | undefined;
  /** When bytes last arrived, on the monotonic clock: pings and the read timeout are timed from it. */
  lastReceivedMs = monotonicNowMs();

  constructor(readonly endpoint: Endpoint) {
    super();
    this.socket = net.connect({ host: endpoint.host, port: endpoint.port });
    this.socket.setNoDelay(true);
    this.writer = new FrameWriter(this.socket);
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('error', (error) => this.close(error.message));
    this.socket.on('close', () => this.close('connection closed by server'));
  }

  /** Connects and performs the handshake; rejects on timeout or a lost connection. */
  open(params: HandshakeParams, timeoutMs: number): Promise<ConnectResponse> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.close(`no handshake from ${this.endpoint.host}:${this.endpoint.port} within ${timeoutMs} ms`), timeoutMs);
      this.handshake = {
        resolve: (response) => (clearTimeout(timer), resolve(response)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      };
      this.socket.once('connect', () => {
        const writer = new JuteWriter();
        writeConnectRequest(writer, { protocolVersion: 0, lastZxidSeen: params.lastZxidSeen, timeoutMs: params.timeoutMs, sessionId: params.sessionId, password: params.password, readOnly: false });
        this.writer.write(Buffer.from(writer.finish()));
      });
    });
  }

  get closed(): boolean {
    return this.closedReason !== undefined;
  }

  /** Sends a request; the reply arrives in order. Special xids (auth, setWatches) are allowed. */
  send(xid: number, type: number, body: (writer: JuteWriter) => void, pending: Omit<PendingRequest, 'xid'>): void {
    if (this.closedReason !== undefined) {
      pending.reject(new ConnectionLostError(this.closedReason));
      return;
    }
    const writer = new JuteWriter();
    writer.int(xid).int(type);
    body(writer);
    this.pending.push({ ...pending, xid });
    this.writer.write(Buffer.from(writer.finish()));
  }

  ping(): void {
    if (this.closedReason !== undefined) return;
    this.writer.write(new JuteWriter().int(Xid.PING).int(OpCode.ping).finish());
  }

  close(reason: string): void {
    if (this.closedReason !== undefined) return;
    this.closedReason = reason;
    this.socket.destroy();
    this.handshake?.reject(new ConnectionLostError(reason));
    this.handshake = undefined;
    for (const request of this.pending.splice(0)) request.reject(new ConnectionLostError(reason));
    this.emit('closed', reason);
  }

  private onData(chunk: Buffer): void {
    this.lastReceivedMs = monotonicNowMs();
    let frames: Buffer[];
    try {
      frames = this.decoder.push(chunk);
    } catch (error) {
      this.close((error as Error).message);
      return;
    }
    for (const frame of frames) {
      if (this.closedReason !== undefined) return;
      try {
        this.onFrame(frame);
      } catch (error) {
        this.close(`undecodable packet from server: ${(error as Error).message}`);
      }
    }
  }

  private onFrame(frame: Buffer): void {
    const reader = new JuteReader(frame);
    if (this.handshake) {
      const handshake = this.handshake;
      this.handshake = undefined;
      handshake.resolve(readConnectResponse(reader));
      return;
    }
    const header = readReplyHeader(reader);
    if (header.zxid > 0n) this.emit('zxid', header.zxid);
    if (header.xid === Xid.WATCHER_EVENT) {
      const event = readWatcherEvent(reader);
      this.emit('event', { type: event.type, path: event.path });
      return;
    }
    if (header.xid === Xid.PING) return;
    const request = this.pending.shift();
    if (request === undefined || request.xid !== header.xid) {
      this.close(`reply xid ${header.xid} does not match the oldest request (${request?.xid ?? 'none'})`);
      return;
    }
    request.onReply?.(header.err);
    request.resolve({ zxid: header.zxid, err: header.err, body: reader });
  }
}

export class ConnectionLostError extends Error {
  readonly code = ErrorCode.CONNECTIONLOSS;
  constructor(readonly reason: string) {
    super(`connection lost: ${reason}`);
    this.name = 'ConnectionLostError';
  }
}
