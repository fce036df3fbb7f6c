/**
 * A client of a FrameServer-style protocol: requests are paired with responses by correlation id,
 * each with its own timeout; a lost connection fails what was in flight (retriable) and is
 * re-established with exponential backoff; requests made while disconnected, or while the socket
 * is not draining, wait in a bounded queue instead of piling up in memory.
 */
import { EventEmitter } from 'node:events';
import net, { type Socket } from 'node:net';
import { Backoff, type BackoffOptions } from './backoff.js';
import { leadingInt32Correlation, type CorrelationCodec } from './correlation.js';
import {
  ClientClosedError,
  ConnectionClosedError,
  ConnectTimeoutError,
  QueueFullError,
  RequestTimeoutError,
} from './errors.js';
import { DeadlineWheel } from './deadline-wheel.js';
import { FrameDecoder } from './frame-decoder.js';
import { FrameWriter, type FramePayload } from './frame-writer.js';
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_MAX_FRAME_BYTES,
  DEFAULT_MAX_QUEUED_REQUESTS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  REQUEST_DEADLINE_RESOLUTION_MS,
} from './limits.js';

export interface FrameClientOptions {
  host?: string;
  port: number;
  correlation?: CorrelationCodec;
  maxFrameBytes?: number;
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
  maxQueuedRequests?: number;
  /** Reconnect after a lost connection (default true). */
  reconnect?: boolean;
  backoff?: BackoffOptions;
}

export type ClientState = 'idle' | 'connecting' | 'connected' | 'waiting-to-reconnect' | 'closed';

interface Pending {
  id: number;
  payload: FramePayload;
  expectResponse: boolean;
  resolve: (response: Buffer) => void;
  reject: (error: Error) => void;
  timeoutMs: number;
}

const MAX_CORRELATION_ID = 0x7fffffff;
const EMPTY = Buffer.alloc(0);

export class FrameClient extends EventEmitter<{
  connect: [];
  disconnect: [string];
  push: [Buffer];
  connectError: [Error];
}> {
  readonly endpoint: string;
  private socket: Socket | undefined;
  private stateValue: ClientState = 'idle';
  private decoder: FrameDecoder;
  private readonly inFlight = new Map<number, Pending>();
  private readonly queue: Pending[] = [];
  private writeBlocked = false;
  private nextId = 0;
  private readonly backoff: Backoff;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private connectWaiters: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  private readonly correlation: CorrelationCodec;
  private readonly maxFrameBytes: number;
  private readonly deadlines = new DeadlineWheel<Pending>(REQUEST_DEADLINE_RESOLUTION_MS, (pending) => this.timeOut(pending));
  private flushScheduled = false;
  private writer: FrameWriter | undefined;

  constructor(private readonly options: FrameClientOptions) {
    super();
    this.endpoint = `${options.host ?? '127.0.0.1'}:${options.port}`;
    this.correlation = options.correlation ?? leadingInt32Correlation;
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.decoder = new FrameDecoder(this.maxFrameBytes);
    this.backoff = new Backoff(options.backoff);
  }

  get state(): ClientState {
    return this.stateValue;
  }

  /** Resolves once connected; rejects with ConnectTimeoutError if no attempt succeeds in time. */
  connect(): Promise<void> {
    if (this.stateValue === 'closed') return Promise.reject(new ClientClosedError(this.endpoint));
    if (this.stateValue === 'connected') return Promise.resolve();
    const timeoutMs = this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    const connected = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.connectWaiters = this.connectWaiters.filter((waiter) => waiter.resolve !== done);
        reject(new ConnectTimeoutError(timeoutMs, this.endpoint));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.connectWaiters.push({ resolve: done, reject: (error) => (clearTimeout(timer), reject(error)) });
    });
    if (this.stateValue === 'idle') this.openSocket();
    return connected;
  }

  /** Sends a request and resolves with the response frame (correlation id included). */
  request(payload: FramePayload, options: { timeoutMs?: number } = {}): Promise<Buffer> {
    return this.enqueue(payload, true, options.timeoutMs ?? this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
  }

  /** Sends a frame that gets no response (Kafka acks=0); resolves once handed to the socket. */
  send(payload: FramePayload): Promise<void> {
    return this.enqueue(payload, false, this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS).then(() => undefined);
  }

  /** Fails everything pending with ClientClosedError and closes the socket; no reconnect follows. */
  async close(): Promise<void> {
    if (this.stateValue === 'closed') return;
    this.stateValue = 'closed';
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const error = new ClientClosedError(this.endpoint);
    this.failAll(error);
    for (const waiter of this.connectWaiters.splice(0)) waiter.reject(error);
    const socket = this.socket;
    this.socket = undefined;
    if (socket && !socket.destroyed) {
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.end();
        setTimeout(() => socket.destroy(), 1_000).unref();
      });
    }
  }

  private enqueue(payload: FramePayload, expectResponse: boolean, timeoutMs: number): Promise<Buffer> {
    if (this.stateValue === 'closed') return Promise.reject(new ClientClosedError(this.endpoint));
    const limit = this.options.maxQueuedRequests ?? DEFAULT_MAX_QUEUED_REQUESTS;
    if (this.queue.length >= limit) return Promise.reject(new QueueFullError(this.endpoint, limit));
    return new Promise<Buffer>((resolve, reject) => {
      this.nextId = this.nextId >= MAX_CORRELATION_ID ? 0 : this.nextId + 1;
      const pending: Pending = { id: this.nextId, payload, expectResponse, resolve, reject, timeoutMs };
      this.deadlines.add(pending, performance.now() + timeoutMs);
      this.queue.push(pending);
      if (this.stateValue === 'idle') this.openSocket();
      else this.scheduleFlush();
    });
  }

  private timeOut(pending: Pending): void {
    this.inFlight.delete(pending.id);
    const queued = this.queue.indexOf(pending);
    if (queued >= 0) this.queue.splice(queued, 1);
    pending.reject(new RequestTimeoutError(pending.timeoutMs, pending.id, this.endpoint));
  }

  /** Requests made in the same tick leave together, in one writev, instead of one syscall each. */
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    process.nextTick(() => {
      this.flushScheduled = false;
      this.flushQueue();
    });
  }

  private flushQueue(): void {
    const writer = this.writer;
    if (this.stateValue !== 'connected' || !writer || this.writeBlocked || this.queue.length === 0) return;
    const count = this.queue.length;
    let sent = 0;
    while (sent < count && !this.writeBlocked) {
      const pending = this.queue[sent++]!;
      const first = Buffer.isBuffer(pending.payload) ? pending.payload : pending.payload[0];
      if (first) this.correlation.writeRequestId(first, pending.id);
      if (pending.expectResponse) this.inFlight.set(pending.id, pending);
      this.writeBlocked = !writer.write(pending.payload);
      if (!pending.expectResponse) {
        this.deadlines.remove(pending);
        pending.resolve(EMPTY);
      }
    }
    this.queue.splice(0, sent);
    writer.flush();
  }

  private openSocket(): void {
    this.stateValue = 'connecting';
    this.decoder = new FrameDecoder(this.maxFrameBytes);
    this.writeBlocked = false;
    const socket = net.connect({ host: this.options.host ?? '127.0.0.1', port: this.options.port });
    this.socket = socket;
    this.writer = new FrameWriter(socket);
    socket.setNoDelay(true);
    const attemptTimer = setTimeout(() => socket.destroy(new Error('connect attempt timed out')), this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
    socket.once('connect', () => {
      clearTimeout(attemptTimer);
      this.stateValue = 'connected';
      this.backoff.reset();
      for (const waiter of this.connectWaiters.splice(0)) waiter.resolve();
      this.emit('connect');
      this.flushQueue();
    });
    socket.on('data', (chunk: Buffer) => this.onData(socket, chunk));
    socket.on('drain', () => {
      this.writeBlocked = false;
      this.flushQueue();
    });
    socket.on('error', (error) => {
      if (this.stateValue === 'connecting') this.emit('connectError', error);
    });
    socket.once('close', () => {
      clearTimeout(attemptTimer);
      this.onSocketClosed(socket);
    });
  }

  private onData(socket: Socket, chunk: Buffer): void {
    let frames: Buffer[];
    try {
      frames = this.decoder.push(chunk);
    } catch (error) {
      socket.destroy(error as Error);
      return;
    }
    for (const frame of frames) {
      const id = this.correlation.readResponseId(frame);
      const pending = id === undefined ? undefined : this.inFlight.get(id);
      if (pending === undefined) {
        // Not a response we wait for: a server push, or the late answer to a timed-out request.
        if (id === undefined) this.emit('push', frame);
        continue;
      }
      this.inFlight.delete(pending.id);
      this.deadlines.remove(pending);
      pending.resolve(frame);
    }
  }

  private onSocketClosed(socket: Socket): void {
    if (this.socket !== socket) return;
    this.socket = undefined;
    if (this.stateValue === 'closed') return;
    const wasConnected = this.stateValue === 'connected';
    const reason = wasConnected ? 'connection lost' : 'connect failed';
    for (const pending of this.inFlight.values()) {
      this.deadlines.remove(pending);
      pending.reject(new ConnectionClosedError(this.endpoint, reason));
    }
    this.inFlight.clear();
    if (wasConnected) this.emit('disconnect', reason);
    if (this.options.reconnect === false) {
      this.stateValue = 'idle';
      this.failAll(new ConnectionClosedError(this.endpoint, reason));
      for (const waiter of this.connectWaiters.splice(0)) waiter.reject(new ConnectionClosedError(this.endpoint, reason));
      return;
    }
    this.stateValue = 'waiting-to-reconnect';
    // Always back off, even after a good connection: a server that accepts and drops at once
    // must not turn this client into a busy loop. The first delay is short (backoff.initialMs).
    this.reconnectTimer = setTimeout(() => this.openSocket(), this.backoff.nextDelayMs());
    this.reconnectTimer.unref();
  }

  private failAll(error: Error): void {
    for (const pending of [...this.inFlight.values(), ...this.queue]) {
      this.deadlines.remove(pending);
      pending.reject(error);
    }
    this.inFlight.clear();
    this.queue.length = 0;
  }
}
