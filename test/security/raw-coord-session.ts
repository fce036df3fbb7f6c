/**
 * A bare ZooKeeper-protocol connection for the security tests: the connect handshake with any
 * session id and password (CoordClient never lets a caller present someone else's), then requests
 * answered by xid, with watch events collected apart. Works against Barista and real ZooKeeper.
 */
import net from 'node:net';
import { FrameDecoder } from '../../core/net/index.js';
import { JuteReader } from '../../core/coord/server/jute/reader.js';
import { JuteWriter } from '../../core/coord/server/jute/writer.js';
import { readConnectResponse, readReplyHeader, readWatcherEvent, writeConnectRequest, type ConnectResponse, type WatcherEvent } from '../../core/coord/server/records.js';
import { OpCode, Xid } from '../../core/coord/zookeeper-constants.js';

const MAX_FRAME_BYTES = 1 << 20;
const SESSION_TIMEOUT_MS = 10_000;
const PASSWORD_BYTES = 16;

export interface RawReply {
  err: number;
  body: JuteReader;
}

export class RawCoordSession {
  readonly events: WatcherEvent[] = [];
  private readonly waiting = new Map<number, (reply: RawReply) => void>();
  private nextXid = 1;
  private closedValue = false;
  private readonly closedPromise: Promise<void>;

  private constructor(
    private readonly socket: net.Socket,
    readonly connected: ConnectResponse,
  ) {
    this.closedPromise = new Promise((resolve) => socket.once('close', () => resolve()));
    void this.closedPromise.then(() => {
      this.closedValue = true;
    });
  }

  /** Opens a connection and performs the handshake; `resume` presents an existing session. */
  static async open(port: number, resume?: { sessionId: bigint; password: Buffer }): Promise<RawCoordSession> {
    const socket = net.connect({ port, host: '127.0.0.1' });
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const decoder = new FrameDecoder(MAX_FRAME_BYTES);
    // Frames after the connect response belong to the session, which exists once it is read.
    const opened: { session?: RawCoordSession } = {};
    const handshake = new Promise<ConnectResponse>((resolve, reject) => {
      socket.on('data', (chunk: Buffer) => {
        for (const frame of decoder.push(chunk)) {
          if (opened.session === undefined) resolve(readConnectResponse(new JuteReader(frame)));
          else opened.session.receive(frame);
        }
      });
      socket.once('close', () => reject(new Error('connection closed before the connect response')));
    });
    socket.on('error', () => undefined);
    const request = new JuteWriter();
    writeConnectRequest(request, { protocolVersion: 0, lastZxidSeen: 0n, timeoutMs: SESSION_TIMEOUT_MS, sessionId: resume?.sessionId ?? 0n, password: resume?.password ?? Buffer.alloc(PASSWORD_BYTES), readOnly: false });
    send(socket, request.finish());
    opened.session = new RawCoordSession(socket, await handshake);
    return opened.session;
  }

  get closed(): boolean {
    return this.closedValue;
  }

  /** Resolves when the server has closed the connection. */
  whenClosed(): Promise<void> {
    return this.closedPromise;
  }

  /** Sends one request and resolves with the reply's error code and body. */
  request(type: number, body: (writer: JuteWriter) => void, xid = this.nextXid++): Promise<RawReply> {
    const writer = new JuteWriter().int(xid).int(type);
    body(writer);
    return new Promise((resolve, reject) => {
      if (this.closedValue) return reject(new Error('connection closed'));
      this.waiting.set(xid, resolve);
      void this.closedPromise.then(() => reject(new Error(`connection closed before the reply to xid ${xid}`)));
      send(this.socket, writer.finish());
    });
  }

  async addAuth(scheme: string, auth: string): Promise<number> {
    return (await this.request(OpCode.auth, (w) => w.int(0).string(scheme).buffer_(Buffer.from(auth)), Xid.AUTH)).err;
  }

  async getData(path: string, watch = false): Promise<RawReply> {
    return this.request(OpCode.getData, (w) => w.string(path).boolean(watch));
  }

  close(): void {
    this.socket.destroy();
  }

  private receive(frame: Buffer): void {
    const reader = new JuteReader(frame);
    const header = readReplyHeader(reader);
    if (header.xid === Xid.WATCHER_EVENT) {
      this.events.push(readWatcherEvent(reader));
      return;
    }
    const resolve = this.waiting.get(header.xid);
    this.waiting.delete(header.xid);
    resolve?.({ err: header.err, body: reader });
  }
}

function send(socket: net.Socket, payload: Buffer): void {
  const length = Buffer.alloc(4);
  length.writeInt32BE(payload.length);
  socket.write(Buffer.concat([length, payload]));
}
