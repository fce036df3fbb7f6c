/**
 * A TCP server of size-prefixed frames. Each frame goes to one handler; responses leave in the
 * order their requests arrived, per connection, even when handlers finish out of order — the
 * guarantee Kafka and ZooKeeper clients rely on. The server protects itself: an oversized,
 * malformed or never-finished frame, a handler that throws, or a peer that stops reading closes
 * that one connection with a logged reason; every other connection keeps being served.
 */
import { EventEmitter } from 'node:events';
import net, { type AddressInfo, type Socket } from 'node:net';
import { pino, type Logger } from 'pino';
import { FrameDecoder } from './frame-decoder.js';
import { FrameWriter, payloadLength, type FramePayload } from './frame-writer.js';
import {
  DEFAULT_MAX_BUFFERED_WRITE_BYTES,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_FRAME_BYTES,
  DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION,
  DEFAULT_PARTIAL_FRAME_TIMEOUT_MS,
  DEFAULT_SHUTDOWN_GRACE_MS,
  DEFAULT_WRITE_STALL_TIMEOUT_MS,
} from './limits.js';

/** What a handler answers: a payload to frame and send back, or undefined for no response. */
export type FrameResponse = FramePayload | undefined;

export type FrameHandler = (frame: Buffer, connection: FrameConnection) => FrameResponse | Promise<FrameResponse>;

export interface FrameServerOptions {
  /** Interface to bind; loopback unless told otherwise. */
  host?: string;
  /** 0 picks a free port (read it from `address()` after listen). */
  port?: number;
  maxFrameBytes?: number;
  maxInFlightPerConnection?: number;
  maxBufferedWriteBytes?: number;
  partialFrameTimeoutMs?: number;
  writeStallTimeoutMs?: number;
  /** Close connections that send nothing for this long; 0 keeps them forever. */
  idleTimeoutMs?: number;
  maxConnections?: number;
  shutdownGraceMs?: number;
  logger?: Logger;
  /**
   * Commands that arrive unframed as a connection's first four bytes (ZooKeeper's four-letter
   * words such as "ruok"): return the text to answer, and the connection is answered and closed.
   */
  rawCommand?: (firstBytes: string) => (() => string) | undefined;
}

/** A request's place in the response order; filled in when its handler finishes. */
interface Slot {
  done: boolean;
  payload: FrameResponse;
}

let nextConnectionId = 1;

/** One accepted connection, as handlers and services see it. */
export class FrameConnection {
  readonly id = nextConnectionId++;
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** Free slot for the service's per-connection state (a ZooKeeper session, a Kafka principal). */
  state: unknown = undefined;
  private readonly decoder: FrameDecoder;
  private readonly slots: Slot[] = [];
  /** Frames decoded but not yet dispatched because the in-flight limit was reached. */
  private readonly backlog: Buffer[] = [];
  // When writes blocked and when a frame was left partial, on the monotonic clock (performance.now(),
  // above 0 once the process runs; 0 means not now): a stepped wall clock must neither close every
  // stalled connection at once nor keep one open forever.
  private writeBlockedSince = 0;
  private partialFrameSince = 0;
  private closing = false;
  private closingReason = 'server shutting down';
  private readonly writer: FrameWriter;
  private pumping = false;
  private sawData = false;
  /** The first bytes, held until there are four to match against rawCommand (TCP may split them). */
  private rawPrefix: Buffer = Buffer.alloc(0);
  private closedReason: string | undefined;
  private readonly closeCallbacks: Array<(reason: string) => void> = [];

  constructor(
    private readonly socket: Socket,
    private readonly handler: FrameHandler,
    private readonly options: Required<Omit<FrameServerOptions, 'host' | 'port' | 'logger' | 'maxConnections' | 'shutdownGraceMs' | 'rawCommand'>> & Pick<FrameServerOptions, 'rawCommand'>,
    private readonly logger: Logger,
  ) {
    this.remoteAddress = socket.remoteAddress ?? 'unknown';
    this.remotePort = socket.remotePort ?? 0;
    this.decoder = new FrameDecoder(options.maxFrameBytes);
    this.writer = new FrameWriter(socket);
    socket.setNoDelay(true);
    if (options.idleTimeoutMs > 0) socket.setTimeout(options.idleTimeoutMs, () => this.close(`idle for ${options.idleTimeoutMs} ms`));
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => this.onDrain());
    socket.on('error', (error) => this.close(`socket error: ${error.message}`));
    socket.on('close', () => this.close('peer closed the connection'));
  }

  get closed(): boolean {
    return this.closedReason !== undefined;
  }

  get inFlight(): number {
    return this.slots.length;
  }

  /** Pushes an unsolicited frame (a watch notification). False once the peer must be left to drain. */
  send(payload: FramePayload): boolean {
    if (this.closed) return false;
    return this.write(payload);
  }

  /** Runs `callback` once, when the connection closes, with the reason. */
  onClose(callback: (reason: string) => void): void {
    if (this.closedReason !== undefined) callback(this.closedReason);
    else this.closeCallbacks.push(callback);
  }

  /** Closes at once, dropping unsent responses. */
  close(reason: string): void {
    if (this.closedReason !== undefined) return;
    this.closedReason = reason;
    this.slots.length = 0;
    this.backlog.length = 0;
    this.logger.debug({ connection: this.id, remote: `${this.remoteAddress}:${this.remotePort}`, reason }, 'connection closed');
    this.socket.destroy();
    for (const callback of this.closeCallbacks.splice(0)) callback(reason);
  }

  /** Stops reading new requests, answers those in flight, then ends the connection. */
  drainAndEnd(reason = 'server shutting down'): void {
    this.closing = true;
    this.closingReason = reason;
    this.socket.pause();
    this.endIfDrained();
  }

  /** Called by the server's watchdog: enforces the time limits that no socket event reports. */
  checkDeadlines(nowMs: number): void {
    if (this.closed) return;
    if (this.writeBlockedSince > 0 && nowMs - this.writeBlockedSince > this.options.writeStallTimeoutMs) {
      this.close(`peer has not read its responses for ${this.options.writeStallTimeoutMs} ms`);
    } else if (this.partialFrameSince > 0 && !this.socket.isPaused() && nowMs - this.partialFrameSince > this.options.partialFrameTimeoutMs) {
      this.close(`frame left incomplete for ${this.options.partialFrameTimeoutMs} ms (${this.decoder.pendingBytes} bytes received)`);
    }
  }

  private onData(received: Buffer): void {
    let chunk = received;
    if (this.options.rawCommand && !this.sawData) {
      chunk = this.rawPrefix.length === 0 ? received : Buffer.concat([this.rawPrefix, received]);
      if (chunk.length < 4) {
        this.rawPrefix = chunk;
        this.partialFrameSince ||= performance.now();
        return;
      }
      this.rawPrefix = Buffer.alloc(0);
      const command = this.options.rawCommand(chunk.toString('latin1', 0, 4));
      if (command !== undefined) {
        this.closedReason = 'raw command answered';
        this.socket.end(command());
        for (const callback of this.closeCallbacks.splice(0)) callback(this.closedReason);
        return;
      }
    }
    this.sawData = true;
    let frames: Buffer[];
    try {
      frames = this.decoder.push(chunk);
    } catch (error) {
      this.logger.warn({ connection: this.id, remote: this.remoteAddress, err: error }, 'bad frame, closing connection');
      const intact = this.decoder.framesBeforeError();
      if (intact.length === 0) {
        this.close((error as Error).message);
        return;
      }
      // Requests that arrived whole before the bad header are answered, then the connection ends.
      this.backlog.push(...intact);
      this.pump();
      this.drainAndEnd((error as Error).message);
      return;
    }
    this.partialFrameSince = this.decoder.hasPartialFrame ? this.partialFrameSince || performance.now() : 0;
    for (const frame of frames) this.backlog.push(frame);
    this.pump();
  }

  /** Dispatches waiting frames while the in-flight limit has room. */
  private pump(): void {
    // A synchronous handler completes inside dispatch and flushes, which pumps again: the outer
    // loop already does that work, so the inner call returns at once.
    if (this.pumping) return;
    this.pumping = true;
    let taken = 0;
    while (taken < this.backlog.length && this.slots.length < this.options.maxInFlightPerConnection && !this.closed && !this.closing) {
      this.dispatch(this.backlog[taken++]!);
    }
    if (taken > 0) this.backlog.splice(0, taken);
    this.pumping = false;
    this.updateFlowControl();
  }

  private dispatch(frame: Buffer): void {
    const slot: Slot = { done: false, payload: undefined };
    this.slots.push(slot);
    let result: FrameResponse | Promise<FrameResponse>;
    try {
      result = this.handler(frame, this);
    } catch (error) {
      this.failHandler(error);
      return;
    }
    if (result instanceof Promise) {
      result.then(
        (payload) => this.complete(slot, payload),
        (error: unknown) => this.failHandler(error),
      );
    } else {
      this.complete(slot, result);
    }
  }

  private complete(slot: Slot, payload: FrameResponse): void {
    if (this.closed) return;
    slot.done = true;
    slot.payload = payload;
    this.flush();
  }

  private failHandler(error: unknown): void {
    this.logger.error({ connection: this.id, remote: this.remoteAddress, err: error }, 'handler failed, closing connection');
    this.close(`handler failed: ${(error as Error)?.message ?? String(error)}`);
  }

  /** Writes every leading finished response; stops at the first one still being handled. */
  private flush(): void {
    while (this.slots.length > 0 && this.slots[0]!.done && !this.closed) {
      const { payload } = this.slots.shift()!;
      if (payload !== undefined) this.write(payload);
    }
    this.pump();
    this.endIfDrained();
  }

  private write(payload: FramePayload): boolean {
    const ok = this.writer.write(payload);
    if (this.writer.pendingBytes > this.options.maxBufferedWriteBytes) {
      this.close(`peer is too slow: ${this.writer.pendingBytes} bytes (last frame ${payloadLength(payload)}) wait to be read`);
      return false;
    }
    if (!ok && this.writeBlockedSince === 0) this.writeBlockedSince = performance.now();
    return ok;
  }

  private onDrain(): void {
    this.writeBlockedSince = 0;
    this.pump();
  }

  /** Reads only while the peer reads our answers and the in-flight limit has room. */
  private updateFlowControl(): void {
    if (this.closed || this.closing) return;
    const shouldPause = this.writeBlockedSince > 0 || this.backlog.length > 0 || this.slots.length >= this.options.maxInFlightPerConnection;
    if (shouldPause && !this.socket.isPaused()) this.socket.pause();
    else if (!shouldPause && this.socket.isPaused()) this.socket.resume();
  }

  private endIfDrained(): void {
    if (this.closing && !this.closed && this.slots.length === 0) {
      this.writer.flush();
      this.socket.end();
      this.closedReason = this.closingReason;
      for (const callback of this.closeCallbacks.splice(0)) callback(this.closedReason);
    }
  }
}

export class FrameServer extends EventEmitter<{ connection: [FrameConnection]; disconnect: [FrameConnection, string] }> {
  private readonly server: net.Server;
  private readonly connections = new Set<FrameConnection>();
  private readonly sockets = new Set<Socket>();
  private readonly logger: Logger;
  private watchdog: NodeJS.Timeout | undefined;
  private readonly connectionOptions: ConstructorParameters<typeof FrameConnection>[2];

  constructor(
    private readonly handler: FrameHandler,
    private readonly options: FrameServerOptions = {},
  ) {
    super();
    this.logger = options.logger ?? pino({ level: 'silent' });
    this.connectionOptions = {
      maxFrameBytes: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
      maxInFlightPerConnection: options.maxInFlightPerConnection ?? DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION,
      maxBufferedWriteBytes: options.maxBufferedWriteBytes ?? DEFAULT_MAX_BUFFERED_WRITE_BYTES,
      partialFrameTimeoutMs: options.partialFrameTimeoutMs ?? DEFAULT_PARTIAL_FRAME_TIMEOUT_MS,
      writeStallTimeoutMs: options.writeStallTimeoutMs ?? DEFAULT_WRITE_STALL_TIMEOUT_MS,
      idleTimeoutMs: options.idleTimeoutMs ?? 0,
      rawCommand: options.rawCommand,
    };
    this.server = net.createServer((socket) => this.accept(socket));
    this.server.maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  }

  async listen(): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const checkEveryMs = Math.max(10, Math.min(1_000, this.connectionOptions.partialFrameTimeoutMs / 4, this.connectionOptions.writeStallTimeoutMs / 4));
    this.watchdog = setInterval(() => {
      const now = performance.now();
      for (const connection of this.connections) connection.checkDeadlines(now);
    }, checkEveryMs);
    this.watchdog.unref();
    const address = this.address();
    this.logger.info({ host: address.address, port: address.port }, 'listening');
    return address;
  }

  address(): AddressInfo {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('FrameServer.address() called before listen() resolved');
    return address;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /**
   * Stops accepting, lets every connection finish the requests it already sent, then closes.
   * Connections still busy after `shutdownGraceMs` are destroyed.
   */
  async close(): Promise<void> {
    if (this.watchdog) clearInterval(this.watchdog);
    const serverClosed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const connection of this.connections) connection.drainAndEnd();
    const graceMs = this.options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS;
    const timer = setTimeout(() => {
      for (const socket of this.sockets) socket.destroy();
    }, graceMs);
    await serverClosed;
    clearTimeout(timer);
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    const connection = new FrameConnection(socket, this.handler, this.connectionOptions, this.logger);
    this.connections.add(connection);
    socket.once('close', () => this.sockets.delete(socket));
    connection.onClose((reason) => {
      this.connections.delete(connection);
      this.emit('disconnect', connection, reason);
    });
    this.emit('connection', connection);
  }
}
