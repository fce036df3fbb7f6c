/**
 * A promise-based ZooKeeper client for Barista's coordination service (and for real ZooKeeper).
 * It keeps one session across connection losses: it reconnects to the next server of the
 * ensemble with the session id and password, re-sends credentials and re-registers watches.
 * Requests in flight when a connection drops fail with CONNECTIONLOSS (they may or may not have
 * been applied, as in ZooKeeper); requests made while reconnecting wait for the new connection.
 */
import { BehaviorSubject } from 'rxjs';
import { Backoff } from '../../net/index.js';
import { ErrorCode, OpCode, Xid } from '../zookeeper-constants.js';
import type { JuteReader } from '../server/jute/reader.js';
import type { JuteWriter } from '../server/jute/writer.js';
import { parseConnectString, type Endpoint } from './connect-string.js';
import { ClientStateError, ZooKeeperError } from './errors.js';
import { ClientWatches, type WatchCallback, type WatchedEvent } from './client-watches.js';
import { ConnectionLostError, SessionConnection } from './session-connection.js';
import { monotonicNowMs } from '../../clock/monotonic-clock.js';

export type ConnectionState = 'connecting' | 'connected' | 'expired' | 'closed';

export interface ZooKeeperClientOptions {
  sessionTimeoutMs?: number;
  /** One connect + handshake attempt gives up after this long. */
  connectTimeoutMs?: number;
  /** Called for events no specific watch claimed (ZooKeeper's default watcher). */
  defaultWatcher?: WatchCallback;
}

const DEFAULT_SESSION_TIMEOUT_MS = 30_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
/** A connection silent for this share of the session timeout is presumed dead (as ZooKeeper's client). */
const READ_TIMEOUT_FRACTION = 2 / 3;
/** Pings go out when idle for this share of the session timeout. */
const PING_FRACTION = 1 / 3;

interface Queued {
  type: number;
  op: string;
  path: string | undefined;
  body: (writer: JuteWriter) => void;
  resolve: (reply: { zxid: bigint; err: number; body: JuteReader }) => void;
  reject: (error: Error) => void;
  onReply: ((err: number) => void) | undefined;
}

export class ZooKeeperClient {
  readonly state$ = new BehaviorSubject<ConnectionState>('connecting');
  readonly watches = new ClientWatches();
  private readonly endpoints: Endpoint[];
  private nextEndpoint = 0;
  private connection: SessionConnection | undefined;
  /** A connection whose handshake is under way; close() must end it too, or it outlives us. */
  private opening: SessionConnection | undefined;
  /** The reconnect loop's backoff wait, which close() cuts short. */
  private backoffWait: { timer: NodeJS.Timeout; wake: () => void } | undefined;
  private sessionIdValue = 0n;
  private password: Buffer = Buffer.alloc(16);
  private negotiatedTimeoutMs: number;
  private lastZxid = 0n;
  private xid = 0;
  private readonly queue: Queued[] = [];
  private readonly credentials: Array<{ scheme: string; auth: Buffer }> = [];
  private heartbeat: NodeJS.Timeout | undefined;
  private closing = false;
  private readonly backoff = new Backoff({ initialMs: 50, maxMs: 1_000 });
  private readonly options: Required<Omit<ZooKeeperClientOptions, 'defaultWatcher'>> & Pick<ZooKeeperClientOptions, 'defaultWatcher'>;

  private constructor(connectString: string, options: ZooKeeperClientOptions) {
    this.endpoints = parseConnectString(connectString);
    this.options = { sessionTimeoutMs: options.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS, connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS, defaultWatcher: options.defaultWatcher };
    this.negotiatedTimeoutMs = this.options.sessionTimeoutMs;
    this.nextEndpoint = Math.floor(Math.random() * this.endpoints.length);
  }

  /** Connects to one server of the ensemble and establishes a new session. */
  static async connect(connectString: string, options: ZooKeeperClientOptions = {}): Promise<ZooKeeperClient> {
    const client = new ZooKeeperClient(connectString, options);
    const deadline = monotonicNowMs() + Math.max(client.options.sessionTimeoutMs, client.options.connectTimeoutMs);
    while (client.state$.value !== 'connected') {
      if (await client.tryConnect()) break;
      if (monotonicNowMs() > deadline) {
        await client.close();
        throw new ClientStateError('CONNECT_TIMEOUT', `no server of ${connectString} accepted a session`);
      }
      await client.waitBackoff();
    }
    client.startHeartbeat();
    return client;
  }

  get sessionId(): bigint {
    return this.sessionIdValue;
  }

  get sessionTimeoutMs(): number {
    return this.negotiatedTimeoutMs;
  }

  /** The endpoint of the current connection, if any. */
  get connectedTo(): Endpoint | undefined {
    return this.connection?.closed === false ? this.connection.endpoint : undefined;
  }

  /** Sends a request once a connection is up; rejects with ZooKeeperError on a non-zero reply. */
  request(type: number, op: string, path: string | undefined, body: (writer: JuteWriter) => void, onReply?: (err: number) => void): Promise<{ zxid: bigint; body: JuteReader }> {
    return new Promise((resolve, reject) => {
      const state = this.state$.value;
      if (state === 'closed') return reject(new ClientStateError('CLIENT_CLOSED', 'client is closed'));
      if (state === 'expired') return reject(new ZooKeeperError(ErrorCode.SESSIONEXPIRED, op, path));
      const queued: Queued = {
        type,
        op,
        path,
        body,
        resolve: (reply) => (reply.err === 0 ? resolve(reply) : reject(new ZooKeeperError(reply.err, op, path))),
        reject: (error) => reject(error instanceof ConnectionLostError ? new ZooKeeperError(ErrorCode.CONNECTIONLOSS, op, path) : error),
        onReply,
      };
      if (state === 'connected' && this.connection && !this.connection.closed) this.dispatch(queued);
      else this.queue.push(queued);
    });
  }

  /** Adds credentials to the session (addauth); they are re-sent after every reconnect. */
  async addAuth(scheme: string, auth: Buffer | string): Promise<void> {
    const bytes = Buffer.isBuffer(auth) ? auth : Buffer.from(auth);
    this.credentials.push({ scheme, auth: bytes });
    if (this.connection && !this.connection.closed) await this.sendAuth(this.connection, scheme, bytes);
  }

  /** Ends the session and everything the client runs (connections, heartbeat, reconnect
   * loop, backoff wait): once it resolves, nothing of this client keeps the process alive. */
  async close(): Promise<void> {
    const state = this.state$.value;
    if (state === 'closed' || this.closing) return;
    this.closing = true;
    clearInterval(this.heartbeat);
    if (state === 'connected' && this.connection && !this.connection.closed) {
      // A paused or partitioned server never answers: wait no longer than the heartbeat would.
      const closeSession = this.request(OpCode.closeSession, 'closeSession', undefined, () => undefined).catch(() => undefined);
      let timer: NodeJS.Timeout | undefined;
      const giveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.negotiatedTimeoutMs * READ_TIMEOUT_FRACTION)));
      await Promise.race([closeSession, giveUp]);
      clearTimeout(timer);
    }
    this.state$.next('closed');
    this.cancelBackoff();
    this.opening?.close('client closed');
    this.connection?.close('client closed');
    for (const queued of this.queue.splice(0)) queued.reject(new ClientStateError('CLIENT_CLOSED', 'client is closed'));
    this.state$.complete();
  }

  /** Drops the current connection as if the network failed (for tests of reconnect behaviour). */
  dropConnection(): void {
    this.connection?.close('dropped on purpose');
  }

  private dispatch(queued: Queued): void {
    this.xid = this.xid >= 0x7fffffff ? 1 : this.xid + 1;
    this.connection!.send(this.xid, queued.type, queued.body, { op: queued.op, path: queued.path, resolve: queued.resolve, reject: queued.reject, ...(queued.onReply ? { onReply: queued.onReply } : {}) });
  }

  private sendAuth(connection: SessionConnection, scheme: string, auth: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      connection.send(Xid.AUTH, OpCode.auth, (w) => w.int(0).string(scheme).buffer_(auth), {
        op: 'addAuth',
        path: undefined,
        resolve: (reply) => (reply.err === 0 ? resolve() : reject(new ZooKeeperError(reply.err, 'addAuth', undefined))),
        reject,
      });
    });
  }

  /** One attempt against the next endpoint. True when a session is (re)established. */
  private async tryConnect(): Promise<boolean> {
    const endpoint = this.endpoints[this.nextEndpoint]!;
    this.nextEndpoint = (this.nextEndpoint + 1) % this.endpoints.length;
    const connection = new SessionConnection(endpoint);
    this.opening = connection;
    let response;
    try {
      response = await connection.open({ sessionId: this.sessionIdValue, password: this.password, timeoutMs: this.options.sessionTimeoutMs, lastZxidSeen: this.lastZxid }, this.options.connectTimeoutMs);
    } catch {
      connection.close('handshake failed');
      return false;
    } finally {
      this.opening = undefined;
    }
    if (this.state$.value === 'closed') {
      // close() ran during the handshake: the session is being closed, do not resurrect it.
      connection.close('client closed');
      return false;
    }
    if (response.timeoutMs <= 0) {
      connection.close('session expired');
      this.expire();
      return false;
    }
    this.sessionIdValue = response.sessionId;
    this.password = response.password;
    this.negotiatedTimeoutMs = response.timeoutMs;
    this.connection = connection;
    connection.on('event', (event) => this.onEvent(event));
    connection.on('zxid', (zxid) => {
      if (zxid > this.lastZxid) this.lastZxid = zxid;
    });
    connection.on('closed', () => this.onConnectionClosed(connection));
    await this.restoreSession(connection);
    this.backoff.reset();
    this.state$.next('connected');
    for (const queued of this.queue.splice(0)) this.dispatch(queued);
    return true;
  }

  /** After a reconnect: credentials first, then watches (with the zxid the client last saw). */
  private async restoreSession(connection: SessionConnection): Promise<void> {
    for (const { scheme, auth } of this.credentials) await this.sendAuth(connection, scheme, auth).catch(() => undefined);
    if (this.watches.isEmpty()) return;
    const { data, exist, child, persistent, recursive } = this.watches;
    const hasPersistent = persistent.size + recursive.size > 0;
    const paths = (table: Map<string, unknown>) => [...table.keys()];
    await new Promise<void>((resolve) => {
      connection.send(
        Xid.SET_WATCHES,
        hasPersistent ? OpCode.setWatches2 : OpCode.setWatches,
        (w) => {
          w.long(this.lastZxid);
          for (const list of [paths(data), paths(exist), paths(child)]) w.vector(list, (v, path) => v.string(path));
          if (hasPersistent) for (const list of [paths(persistent), paths(recursive)]) w.vector(list, (v, path) => v.string(path));
        },
        { op: 'setWatches', path: undefined, resolve: () => resolve(), reject: () => resolve() },
      );
    });
  }

  private onEvent(event: WatchedEvent): void {
    const callbacks = this.watches.take(event);
    if (callbacks.length === 0) this.options.defaultWatcher?.(event);
    for (const callback of callbacks) callback(event);
  }

  private onConnectionClosed(connection: SessionConnection): void {
    if (this.connection !== connection || this.closing) return;
    const state = this.state$.value;
    if (state === 'closed' || state === 'expired') return;
    this.state$.next('connecting');
    void this.reconnectLoop();
  }

  private async reconnectLoop(): Promise<void> {
    while (this.state$.value === 'connecting') {
      if (await this.tryConnect()) return;
      if (this.state$.value !== 'connecting') return;
      await this.waitBackoff();
    }
  }

  /** Sleeps for the next backoff delay, or until close() cancels the wait. */
  private waitBackoff(): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.backoffWait = undefined;
        resolve();
      };
      const timer = setTimeout(wake, this.backoff.nextDelayMs());
      this.backoffWait = { timer, wake };
    });
  }

  private cancelBackoff(): void {
    this.backoffWait?.wake();
  }

  private expire(): void {
    this.state$.next('expired');
    this.watches.clear();
    for (const queued of this.queue.splice(0)) queued.reject(new ZooKeeperError(ErrorCode.SESSIONEXPIRED, queued.op, queued.path));
  }

  private startHeartbeat(): void {
    const everyMs = Math.max(10, Math.floor((this.negotiatedTimeoutMs * PING_FRACTION) / 2));
    this.heartbeat = setInterval(() => {
      const connection = this.connection;
      if (!connection || connection.closed || this.state$.value !== 'connected') return;
      const silentMs = monotonicNowMs() - connection.lastReceivedMs;
      if (silentMs > this.negotiatedTimeoutMs * READ_TIMEOUT_FRACTION) connection.close(`server silent for ${silentMs} ms`);
      else if (silentMs > this.negotiatedTimeoutMs * PING_FRACTION) connection.ping();
    }, everyMs);
    this.heartbeat.unref();
  }
}
